namespace AgentHost.Grammar;

/// <summary>A complete reply split into assistant text and tool calls.</summary>
/// <param name="Text">
/// The assistant text outside the calls. Whitespace next to a call and at the very end is dropped, as the streaming
/// parser does.
/// </param>
/// <param name="ToolCalls">The calls in output order.</param>
public sealed record ToolCallParseResult(string Text, IReadOnlyList<ParsedToolCall> ToolCalls);
