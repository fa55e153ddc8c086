namespace AgentHost.ChatFormats.Parsing;

/// <summary>One tool call read from model output. <see cref="Arguments"/> is JSON text (possibly unfinished while streaming).</summary>
public sealed record ParsedChatToolCall(string Name, string Arguments, string Id, bool IsComplete);

/// <summary>What a model's output means: visible content, reasoning, tool calls.</summary>
public sealed record ParsedChatMessage(string Content, string ReasoningContent, IReadOnlyList<ParsedChatToolCall> ToolCalls)
{
    public static ParsedChatMessage Empty { get; } = new("", "", []);

    /// <summary>The text did not match the family's syntax; it was kept whole as content.</summary>
    public bool IsFallback { get; init; }
}
