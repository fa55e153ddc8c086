using System.Text.Json;

namespace AgentHost.Server.Protocol;

// POST /v1/embeddings. The OpenAI SDKs ask for base64 by default (little-endian float32), so both encodings exist.

internal sealed class EmbeddingsRequest
{
    /// <summary>A string or an array of strings (token arrays are not supported).</summary>
    public JsonElement? Input { get; set; }
    public string? Model { get; set; }
    /// <summary>"float" (default) or "base64".</summary>
    public string? EncodingFormat { get; set; }
    public int? Dimensions { get; set; }
    public string? User { get; set; }
}

internal sealed class EmbeddingsResponse
{
    public string Object => "list";
    public required IReadOnlyList<EmbeddingDataDto> Data { get; init; }
    public required string Model { get; init; }
    public required EmbeddingsUsageDto Usage { get; init; }
}

internal sealed class EmbeddingDataDto
{
    public string Object => "embedding";
    public int Index { get; init; }
    /// <summary>A float array, or a base64 string of the float32 bytes.</summary>
    public required object Embedding { get; init; }
}

internal sealed class EmbeddingsUsageDto
{
    public int PromptTokens { get; init; }
    public int TotalTokens { get; init; }
}
