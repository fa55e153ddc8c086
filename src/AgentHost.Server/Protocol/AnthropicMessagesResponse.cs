using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Server.Protocol;

/// <summary>An Anthropic Message object, the non-streamed answer of /v1/messages (and the one in message_start).</summary>
internal sealed class AnthropicMessage
{
    public required string Id { get; init; }
    public string Type { get; init; } = "message";
    public string Role { get; init; } = "assistant";
    public required string Model { get; init; }
    public required List<AnthropicContentBlock> Content { get; init; }
    /// <summary>end_turn, max_tokens, stop_sequence or tool_use; null in message_start.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopReason { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopSequence { get; init; }
    public required AnthropicUsage Usage { get; init; }
}

/// <summary>
/// One content block of a response: text, tool_use (input an object) or thinking. Only the fields of its type are
/// written (nulls are left out).
/// </summary>
internal sealed class AnthropicContentBlock
{
    public required string Type { get; init; }
    public string? Text { get; init; }
    public string? Id { get; init; }
    public string? Name { get; init; }
    public JsonElement? Input { get; init; }
    public string? Thinking { get; init; }
    public string? Signature { get; init; }

    public static AnthropicContentBlock ForText(string text) => new() { Type = "text", Text = text };

    public static AnthropicContentBlock ForThinking(string thinking, string? signature) =>
        new() { Type = "thinking", Thinking = thinking, Signature = signature ?? "" };

    public static AnthropicContentBlock ForToolUse(string id, string name, JsonElement input) =>
        new() { Type = "tool_use", Id = id, Name = name, Input = input };
}

internal sealed class AnthropicUsage
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? InputTokens { get; init; }
    public int OutputTokens { get; init; }
    /// <summary>Prompt tokens served from the KV/prompt cache (Anthropic's name for cached input).</summary>
    public int? CacheReadInputTokens { get; init; }
    public int? CacheCreationInputTokens { get; init; }
}

/// <summary>The data of one Anthropic stream event; the SSE event name equals <see cref="Type"/>.</summary>
internal sealed class AnthropicStreamEvent
{
    public required string Type { get; init; }
    public AnthropicMessage? Message { get; init; }
    public int? Index { get; init; }
    public AnthropicContentBlock? ContentBlock { get; init; }
    /// <summary>A block delta (text_delta, input_json_delta, thinking_delta, signature_delta) or, in message_delta, the stop reason.</summary>
    public object? Delta { get; init; }
    public AnthropicUsage? Usage { get; init; }
    public AnthropicErrorDetail? Error { get; init; }
}

internal sealed record AnthropicTextDelta(string Text)
{
    public string Type => "text_delta";
}

internal sealed record AnthropicInputJsonDelta(string PartialJson)
{
    public string Type => "input_json_delta";
}

internal sealed record AnthropicThinkingDelta(string Thinking)
{
    public string Type => "thinking_delta";
}

internal sealed record AnthropicSignatureDelta(string Signature)
{
    public string Type => "signature_delta";
}

internal sealed record AnthropicMessageDeltaBody(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StopReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StopSequence);

/// <summary><c>{"type":"error","error":{"type":...,"message":...}}</c>, Anthropic's error body (and error event).</summary>
internal sealed record AnthropicErrorBody(AnthropicErrorDetail Error)
{
    public string Type => "error";
}

internal sealed record AnthropicErrorDetail(string Type, string Message);
