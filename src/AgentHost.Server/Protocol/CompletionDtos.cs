using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Server.Protocol;

// POST /v1/completions, OpenAI's legacy text completions: the raw prompt, no chat template. prompt and stop vary in
// JSON type and are interpreted, with errors naming them, by CompletionRequestMapper.

internal sealed class CompletionRequest
{
    public string? Model { get; set; }
    /// <summary>A string, an array of strings, an array of token ids, or an array of token-id arrays.</summary>
    public JsonElement? Prompt { get; set; }
    public string? Suffix { get; set; }
    public int? MaxTokens { get; set; }
    public float? Temperature { get; set; }
    public float? TopP { get; set; }
    /// <summary>Not OpenAI's; llama-server and others accept it.</summary>
    public int? TopK { get; set; }
    public float? FrequencyPenalty { get; set; }
    public float? PresencePenalty { get; set; }
    public long? Seed { get; set; }
    public JsonElement? Stop { get; set; }
    public int? N { get; set; }
    public int? BestOf { get; set; }
    public bool? Echo { get; set; }
    /// <summary>The number of alternatives per token (0..20); null = no probabilities.</summary>
    public int? Logprobs { get; set; }
    public Dictionary<string, float>? LogitBias { get; set; }
    public bool? Stream { get; set; }
    public StreamOptionsDto? StreamOptions { get; set; }
    public string? User { get; set; }
}

/// <summary>A whole completion, and (stream: true) each chunk: OpenAI uses the one shape for both.</summary>
internal sealed class CompletionResponse
{
    public required string Id { get; init; }
    public string Object => "text_completion";
    public required long Created { get; init; }
    public required string Model { get; init; }
    public string? SystemFingerprint { get; init; }
    public required IReadOnlyList<CompletionChoiceDto> Choices { get; init; }
    public UsageDto? Usage { get; init; }
    /// <summary>Not OpenAI's; llama-server's timings (on the whole response, and on a stream's finish chunks).</summary>
    public TimingsDto? Timings { get; init; }
}

internal sealed class CompletionChoiceDto
{
    public required string Text { get; init; }
    public int Index { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public CompletionLogprobsDto? Logprobs { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}
