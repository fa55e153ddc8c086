namespace AgentHost.Server.Protocol;

// GET /v1/agents (AgentHost's, not OpenAI's): the agents a Responses request can name as model "agent:NAME".

internal sealed class AgentListResponse
{
    public string Object => "list";
    public required IReadOnlyList<AgentDto> Data { get; init; }
}

internal sealed class AgentDto
{
    /// <summary>What to send as a Responses request's <c>model</c>: "agent:NAME".</summary>
    public required string Id { get; init; }
    public string Object => "agent";
    public required string Name { get; init; }
    public string? Description { get; init; }
    /// <summary>Kernel plugins and functions it may call ("Plugin" or "Plugin.Function"), and other agents.</summary>
    public required IReadOnlyList<string> Tools { get; init; }
    public required IReadOnlyList<string> Agents { get; init; }
    /// <summary>Tools whose calls wait for a person's approval (an mcp_approval_request item).</summary>
    public required IReadOnlyList<string> ApprovalRequired { get; init; }
}
