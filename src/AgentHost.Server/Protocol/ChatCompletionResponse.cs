using System.Text.Json.Serialization;

namespace AgentHost.Server.Protocol;

// The response of POST /v1/chat/completions: a whole completion, or (stream: true) a sequence of chunks.
// finish_reason and content are written even when null: OpenAI does, and strict clients look for them.

internal sealed class ChatCompletionResponse
{
    public required string Id { get; init; }
    public string Object => "chat.completion";
    public required long Created { get; init; }
    public required string Model { get; init; }
    public required IReadOnlyList<ChatChoiceDto> Choices { get; init; }
    public UsageDto? Usage { get; init; }
}

internal sealed class ChatChoiceDto
{
    public int Index { get; init; }
    public required AssistantMessageDto Message { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Logprobs => null;
}

internal sealed class AssistantMessageDto
{
    public string Role => "assistant";
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; init; }
    public string? ReasoningContent { get; init; }
    public IReadOnlyList<ToolCallDto>? ToolCalls { get; init; }
}

internal sealed class ChatCompletionChunk
{
    public required string Id { get; init; }
    public string Object => "chat.completion.chunk";
    public required long Created { get; init; }
    public required string Model { get; init; }
    public required IReadOnlyList<ChunkChoiceDto> Choices { get; init; }
    /// <summary>Only on the extra last chunk that stream_options.include_usage asks for (with no choices).</summary>
    public UsageDto? Usage { get; init; }
}

internal sealed class ChunkChoiceDto
{
    public int Index { get; init; }
    public required DeltaDto Delta { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}

internal sealed class DeltaDto
{
    public string? Role { get; init; }
    public string? Content { get; init; }
    public string? ReasoningContent { get; init; }
    public IReadOnlyList<ToolCallDto>? ToolCalls { get; init; }
}

internal sealed class UsageDto
{
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public int TotalTokens { get; init; }
    public PromptTokensDetailsDto? PromptTokensDetails { get; init; }
}

internal sealed class PromptTokensDetailsDto
{
    /// <summary>Prompt tokens served from the slot's KV cache instead of being evaluated again.</summary>
    public int CachedTokens { get; init; }
}
