using AgentHost.Cluster.Nodes;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Placement;
using AgentHost.Cluster.Routing;
using AgentHost.Llama.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster.Grains;

/// <summary>
/// One chat request without a conversation id (OpenAI, Anthropic, an agent's model call), run on this node's own
/// model and streamed back to the node it came from; then the activation is gone. Its placement chose this node
/// for its prompt prefix (<see cref="ChatCompletionGrain"/>) or by turn (<see cref="RoundRobinChatCompletionGrain"/>).
/// </summary>
internal abstract class ChatCompletionGrainBase(LlamaChatClient chat, LocalNode node, IOptions<AgentHostClusterOptions> options) : Grain, IChatCompletions
{
    public async IAsyncEnumerable<ForwardedChatUpdate> CompleteAsync(ForwardedChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        node.TurnStarted();
        try
        {
            List<ChatMessage> messages;
            ChatOptions? chatOptions;
            IAsyncEnumerator<ChatResponseUpdate>? updates = null;
            ForwardedChatError? error = null;
            try
            {
                messages = ForwardedChatJson.ReadMessages(request);
                chatOptions = ForwardedChatJson.ReadOptions(request);
                updates = request.Stream
                    ? chat.GetStreamingResponseAsync(messages, chatOptions).GetAsyncEnumerator()
                    : Whole(chat.GetResponseAsync(messages, chatOptions)).GetAsyncEnumerator();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                messages = [];
                chatOptions = null;
                error = ForwardedChatJson.ToError(ex);
            }
            if (error is not null || updates is null)
            {
                yield return new ForwardedChatUpdate { Node = node.Name, Error = error };
                yield break;
            }

            // A caller that stops reading disposes this stream here, which disposes the engine's and frees its slot.
            var reply = new List<ChatResponseUpdate>();
            await using (updates)
            {
                while (true)
                {
                    ForwardedChatUpdate next;
                    try
                    {
                        if (!await updates.MoveNextAsync()) break;
                        reply.Add(updates.Current);
                        next = ForwardedChatJson.ToUpdate(updates.Current, node.Name, node.Silo);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Errors go back as data: the caller rebuilds the engine's own exception (Orleans would keep only its message).
                        next = new ForwardedChatUpdate { Node = node.Name, Error = ForwardedChatJson.ToError(ex) };
                    }
                    yield return next;
                    if (next.Error is not null) yield break;
                }
            }
            // What the next request of this conversation starts with: these messages and the reply.
            var served = ForwardedChatJson.ForPrefix(LlamaChatClient.WithInstructions(messages, chatOptions).Concat(reply.ToChatResponse().Messages));
            node.Served(null, PromptPrefixHasher.Hash(served, options.Value.PrefixBlockChars));
        }
        finally
        {
            node.TurnEnded();
            DeactivateOnIdle();
        }
    }

    /// <summary>A whole response as updates (its properties, log-probabilities and timings, on the last).</summary>
    private static async IAsyncEnumerable<ChatResponseUpdate> Whole(Task<ChatResponse> pending)
    {
        var response = await pending;
        var updates = response.ToChatResponseUpdates();
        for (var i = 0; i < updates.Length; i++)
        {
            if (i == updates.Length - 1 && response.AdditionalProperties is { Count: > 0 } properties)
                foreach (var (k, v) in properties) (updates[i].AdditionalProperties ??= [])[k] = v;
            yield return updates[i];
        }
    }
}

[CacheAffinityPlacement]
internal sealed class ChatCompletionGrain(LlamaChatClient chat, LocalNode node, IOptions<AgentHostClusterOptions> options)
    : ChatCompletionGrainBase(chat, node, options), IChatCompletionGrain;

[RoundRobinPlacement]
internal sealed class RoundRobinChatCompletionGrain(LlamaChatClient chat, LocalNode node, IOptions<AgentHostClusterOptions> options)
    : ChatCompletionGrainBase(chat, node, options), IRoundRobinChatCompletionGrain;
