using System.Runtime.CompilerServices;
using AgentHost.Cluster.Grains;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Placement;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster.Routing;

/// <summary>
/// The entry to the cluster from any node or client: a turn of a conversation goes to its grain (wherever it is
/// active, or placed by <see cref="AgentHostClusterOptions.Routing"/>); a request without a conversation id goes to
/// a fresh prompt grain placed by its prompt prefix.
/// </summary>
public sealed class ConversationRouter(IGrainFactory grains, IOptions<AgentHostClusterOptions> options)
{
    public ClusterRouting Routing { get; } = options.Value.Routing;

    public IConversationTurns Conversation(string id, ClusterRouting? routing = null)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("A conversation id must not be empty.", nameof(id));
        if (id.Length > 256) throw new ArgumentException($"A conversation id must be at most 256 characters, got {id.Length}.", nameof(id));
        return (routing ?? Routing) == ClusterRouting.RoundRobin
            ? grains.GetGrain<IRoundRobinConversationGrain>(id)
            : grains.GetGrain<IConversationGrain>(id);
    }

    public async IAsyncEnumerable<TurnChunk> SendAsync(string conversationId, TurnRequest request, ClusterRouting? routing = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var chunk in Conversation(conversationId, routing).SendAsync(request).WithCancellation(cancellationToken)) yield return chunk;
    }

    /// <summary>Streams the answer to <paramref name="messages"/> from the node that shares their longest prefix.</summary>
    public async IAsyncEnumerable<TurnChunk> CompleteAsync(IReadOnlyList<ConversationMessage> messages, TurnSettings settings, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var grain = grains.GetGrain<IPromptGrain>(Guid.NewGuid());
        // Read by the placement director of the grain's first call; only this call carries it.
        RequestContext.Set(CacheAffinityPlacement.PrefixHashesKey, PromptPrefixHasher.Hash(messages, options.Value.PrefixBlockChars));
        IAsyncEnumerator<TurnChunk> e;
        try
        {
            e = grain.CompleteAsync(messages, settings).GetAsyncEnumerator(cancellationToken);
            // The first MoveNext sends the call (and places the grain) while the context holds the hashes.
            if (!await e.MoveNextAsync()) yield break;
        }
        finally
        {
            RequestContext.Remove(CacheAffinityPlacement.PrefixHashesKey);
        }
        await using (e)
        {
            yield return e.Current;
            while (await e.MoveNextAsync()) yield return e.Current;
        }
    }
}
