namespace AgentHost.Grammar;

/// <summary>What one step of <see cref="StreamingToolCallParser"/> releases.</summary>
/// <param name="TextDelta">Assistant text safe to show now (never part of a tool call).</param>
/// <param name="ToolCalls">Calls completed in this step.</param>
public sealed record StreamingToolCallUpdate(string TextDelta, IReadOnlyList<ParsedToolCall> ToolCalls)
{
    /// <summary>An update with nothing in it.</summary>
    public static StreamingToolCallUpdate Empty { get; } = new("", []);

    /// <summary>A call was still open when generation was cut off, and was dropped (see StreamingToolCallParser.Complete).</summary>
    public bool DroppedIncompleteCall { get; init; }

    /// <summary>Whether the update carries no text and no calls.</summary>
    public bool IsEmpty => TextDelta.Length == 0 && ToolCalls.Count == 0;
}
