namespace AgentHost.Cluster.Grains;

/// <summary>One message of a conversation's stored history.</summary>
[GenerateSerializer, Immutable]
public sealed record ConversationMessage([property: Id(0)] string Role, [property: Id(1)] string Content);

/// <summary>Sampling of one turn (greedy unless said otherwise).</summary>
[GenerateSerializer, Immutable]
public sealed record TurnSettings
{
    [Id(0)] public int MaxTokens { get; init; } = 256;
    /// <summary>0 = greedy (the default); null = the answering node's configured default.</summary>
    [Id(1)] public float? Temperature { get; init; } = 0;
    [Id(2)] public int? Seed { get; init; }
}

/// <summary>
/// A turn: the new messages (a user message, or tool results) to append to the stored history and answer.
/// <see cref="Turn"/> is the number of turns the caller believes are stored; a turn already stored is answered from
/// the store (a retry after a lost reply), a turn ahead of the store is refused, so a retried turn is never stored twice.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TurnRequest
{
    [Id(0)] public IReadOnlyList<ConversationMessage> Messages { get; init; } = [];
    [Id(1)] public TurnSettings Settings { get; init; } = new();
    [Id(2)] public int? Turn { get; init; }
}

/// <summary>A piece of a streamed reply. The last one has <see cref="Final"/> with the usage and the node that answered.</summary>
[GenerateSerializer, Immutable]
public sealed record TurnChunk
{
    [Id(0)] public string Text { get; init; } = "";
    [Id(1)] public bool Final { get; init; }
    [Id(2)] public int PromptTokens { get; init; }
    [Id(3)] public int CachedPromptTokens { get; init; }
    [Id(4)] public int CompletionTokens { get; init; }
    [Id(5)] public string? FinishReason { get; init; }
    [Id(6)] public string? Node { get; init; }
    [Id(7)] public int Turn { get; init; }
    /// <summary>The reply came from the store: this turn had been answered already.</summary>
    [Id(8)] public bool Replayed { get; init; }
}

/// <summary>Persisted state of a conversation grain.</summary>
[GenerateSerializer]
public sealed class ConversationState
{
    [Id(0)] public List<ConversationMessage> Messages { get; set; } = [];
    /// <summary>Index in <see cref="Messages"/> where each turn's reply is (so a retried turn is answered from here).</summary>
    [Id(1)] public List<int> ReplyIndexes { get; set; } = [];
}

/// <summary>A turn was refused or failed; the message names why (the turn index, the node).</summary>
[GenerateSerializer]
public sealed class ConversationTurnException : Exception
{
    public ConversationTurnException(string message) : base(message) { }
    public ConversationTurnException(string message, Exception inner) : base(message, inner) { }
}
