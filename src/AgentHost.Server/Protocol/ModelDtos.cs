namespace AgentHost.Server.Protocol;

// GET /v1/models and /v1/models/{id}.

internal sealed class ModelListResponse
{
    public string Object => "list";
    public required IReadOnlyList<ModelDto> Data { get; init; }
}

internal sealed class ModelDto
{
    public required string Id { get; init; }
    public string Object => "model";
    public required long Created { get; init; }
    public string OwnedBy => "agenthost";
    /// <summary>Not OpenAI's: other names the model answers to (--alias).</summary>
    public IReadOnlyList<string>? Aliases { get; init; }
}
