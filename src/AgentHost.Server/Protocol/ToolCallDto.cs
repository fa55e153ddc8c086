namespace AgentHost.Server.Protocol;

/// <summary>
/// A tool call as OpenAI writes it, in both directions: in an assistant message of a request, in a response
/// message, and (with <see cref="Index"/>) in a streamed delta. <c>arguments</c> is a JSON text, not an object.
/// </summary>
internal sealed class ToolCallDto
{
    public int? Index { get; set; }
    public string? Id { get; set; }
    public string? Type { get; set; }
    public FunctionCallDto? Function { get; set; }
}

internal sealed class FunctionCallDto
{
    public string? Name { get; set; }
    public string? Arguments { get; set; }
}
