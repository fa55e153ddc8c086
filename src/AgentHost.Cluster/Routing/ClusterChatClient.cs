using System.Runtime.CompilerServices;
using AgentHost.Cluster.Grains;
using AgentHost.Cluster.Nodes;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Placement;
using AgentHost.Llama.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster.Routing;

/// <summary>
/// The model of a cluster node as an <see cref="IChatClient"/>: each request runs on the node whose KV cache shares
/// the longest prefix of its prompt (else the least-loaded node), through a fresh <see cref="IChatCompletionGrain"/>,
/// and its updates stream back here. The middleware above it (function invocation, the agents' loop, logging) and the
/// tools stay on this node; only the model call moves. A stateless client that sends the whole history each turn
/// (OpenAI, Anthropic) or an agent's session thus returns to the node that holds it. With
/// <see cref="ClusterRouting.RoundRobin"/> (the baseline) requests take the nodes in turn instead.
/// Errors of the answering engine arrive as the same exceptions (context overflow, busy, bad request).
/// </summary>
public sealed class ClusterChatClient(IGrainFactory grains, LlamaChatClient local, ClusterView view, IOptions<AgentHostClusterOptions> options) : IChatClient
{
    private readonly AgentHostClusterOptions _options = options.Value;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in SendAsync(messages, options, stream: false, cancellationToken).ConfigureAwait(false)) updates.Add(update);
        // As from LlamaChatClient: the updates' properties (log-probabilities, timings, the node) on the response too.
        return updates.ToChatResponseWithProperties();
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(messages, options, stream: true, cancellationToken);

    private async IAsyncEnumerable<ChatResponseUpdate> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var request = ForwardedChatJson.ToRequest(list, options, stream);
        IChatCompletions grain = _options.Routing == ClusterRouting.RoundRobin
            ? grains.GetGrain<IRoundRobinChatCompletionGrain>(Guid.NewGuid())
            : grains.GetGrain<IChatCompletionGrain>(Guid.NewGuid());
        IAsyncEnumerator<ForwardedChatUpdate> e;
        // Read by the placement director when the grain's first call places it; only that call carries it.
        // The prompt starts with the instructions: they are part of its prefix.
        var prompt = LlamaChatClient.WithInstructions(list, options);
        RequestContext.Set(CacheAffinityPlacement.PrefixHashesKey, PromptPrefixHasher.Hash(ForwardedChatJson.ForPrefix(prompt), _options.PrefixBlockChars));
        try
        {
            e = grain.CompleteAsync(request).GetAsyncEnumerator(cancellationToken);
            // The first MoveNext sends the call (and places the grain) while the context holds the hashes.
            if (!await e.MoveNextAsync().ConfigureAwait(false))
            {
                await e.DisposeAsync().ConfigureAwait(false);
                yield break;
            }
        }
        finally
        {
            RequestContext.Remove(CacheAffinityPlacement.PrefixHashesKey);
        }
        var reply = new List<ChatResponseUpdate>();
        SiloAddress? silo = null;
        await using (e)
        {
            do
            {
                var forwarded = e.Current;
                if (forwarded.Error is { } error) throw ForwardedChatJson.ToException(error, forwarded.Node);
                var update = ForwardedChatJson.ReadUpdate(forwarded);
                silo ??= forwarded.Silo;
                reply.Add(update);
                yield return update;
            }
            while (await e.MoveNextAsync().ConfigureAwait(false));
        }
        // The answering node's cache now holds this prompt and its reply, whatever its last summary said.
        if (silo is not null)
            view.Learn(silo, PromptPrefixHasher.Hash(ForwardedChatJson.ForPrefix(prompt.Concat(reply.ToChatResponse().Messages)), _options.PrefixBlockChars));
    }

    /// <summary>The local model answers what needs no generation (metadata, prompt token counts: every node serves the same model).</summary>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType.IsInstanceOfType(this)) return this;
        return local.GetService(serviceType, serviceKey);
    }

    public void Dispose() { }
}
