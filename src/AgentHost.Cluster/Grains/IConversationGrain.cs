namespace AgentHost.Cluster.Grains;

/// <summary>The calls every conversation grain answers.</summary>
public interface IConversationTurns : IGrainWithStringKey
{
    /// <summary>Appends the turn's messages, answers on this node's engine, streams the reply, then stores both.</summary>
    IAsyncEnumerable<TurnChunk> SendAsync(TurnRequest request);

    /// <summary>The stored history.</summary>
    Task<IReadOnlyList<ConversationMessage>> GetHistoryAsync();

    /// <summary>The name of the node the grain is active on.</summary>
    Task<string> GetNodeAsync();
}

/// <summary>A conversation keyed by its id, placed by cache affinity: it stays on the node whose KV cache holds its history.</summary>
public interface IConversationGrain : IConversationTurns;

/// <summary>The baseline: one grain per turn (key "conversation#turn"), placed round-robin, reloading the history from the store.</summary>
public interface IRoundRobinConversationGrain : IConversationTurns;

/// <summary>A chat request without a conversation id, run on one node's model and streamed back (<see cref="Routing.ClusterChatClient"/>).</summary>
public interface IChatCompletions : IGrainWithGuidKey
{
    IAsyncEnumerable<ForwardedChatUpdate> CompleteAsync(ForwardedChatRequest request);
}

/// <summary>Keyed by a fresh id, placed on the node sharing the longest prompt prefix, else the least loaded.</summary>
public interface IChatCompletionGrain : IChatCompletions;

/// <summary>The baseline: placed on the next node in turn, whatever it has cached.</summary>
public interface IRoundRobinChatCompletionGrain : IChatCompletions;
