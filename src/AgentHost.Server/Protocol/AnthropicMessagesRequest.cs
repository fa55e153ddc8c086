using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Server.Protocol;

/// <summary>
/// The body of Anthropic's POST /v1/messages (and /v1/messages/count_tokens, which takes the same fields but
/// max_tokens). Content is kept as JSON: a string or an array of typed blocks, read by AnthropicRequestMapper.
/// Fields the server does not use (container, service_tier, ...) are ignored, as Anthropic-compatible servers do.
/// </summary>
internal sealed class AnthropicMessagesRequest
{
    public string? Model { get; set; }
    public int? MaxTokens { get; set; }
    public List<AnthropicMessageDto?>? Messages { get; set; }
    /// <summary>A string or an array of text blocks.</summary>
    public JsonElement? System { get; set; }
    public List<AnthropicToolDto?>? Tools { get; set; }
    public AnthropicToolChoiceDto? ToolChoice { get; set; }
    public List<string?>? StopSequences { get; set; }
    public float? Temperature { get; set; }
    public float? TopP { get; set; }
    public int? TopK { get; set; }
    public AnthropicThinkingDto? Thinking { get; set; }
    /// <summary>Only user_id is defined; accepted and not used for generation.</summary>
    public AnthropicMetadataDto? Metadata { get; set; }
    public bool? Stream { get; set; }
}

internal sealed class AnthropicMessageDto
{
    public string? Role { get; set; }
    /// <summary>A string (one text block) or an array of content blocks.</summary>
    public JsonElement? Content { get; set; }
}

internal sealed class AnthropicToolDto
{
    /// <summary>Absent or "custom" for a client tool; server tools (web_search_..., bash_...) are refused.</summary>
    public string? Type { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? InputSchema { get; set; }
}

internal sealed class AnthropicToolChoiceDto
{
    /// <summary>auto, any, tool or none.</summary>
    public string? Type { get; set; }
    public string? Name { get; set; }
    public bool? DisableParallelToolUse { get; set; }
}

internal sealed class AnthropicThinkingDto
{
    /// <summary>enabled, disabled or adaptive.</summary>
    public string? Type { get; set; }
    public int? BudgetTokens { get; set; }
}

internal sealed class AnthropicMetadataDto
{
    public string? UserId { get; set; }
}

/// <summary>POST /v1/messages/count_tokens answers <c>{"input_tokens": N}</c>.</summary>
internal sealed class AnthropicTokenCount
{
    [JsonPropertyName("input_tokens")]
    public int InputTokens { get; init; }
}
