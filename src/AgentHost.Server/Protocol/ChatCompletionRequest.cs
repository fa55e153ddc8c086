using System.Text.Json;

namespace AgentHost.Server.Protocol;

// The body of POST /v1/chat/completions as OpenAI documents it. Fields whose JSON type varies (content, stop,
// tool_choice) stay JsonElement and are interpreted, with errors naming them, by ChatRequestMapper.

internal sealed class ChatCompletionRequest
{
    public string? Model { get; set; }
    public List<ChatMessageDto?>? Messages { get; set; }
    public bool? Stream { get; set; }
    public StreamOptionsDto? StreamOptions { get; set; }
    public float? Temperature { get; set; }
    public float? TopP { get; set; }
    /// <summary>Not OpenAI's; llama-server and others accept it.</summary>
    public int? TopK { get; set; }
    public float? FrequencyPenalty { get; set; }
    public float? PresencePenalty { get; set; }
    public long? Seed { get; set; }
    public int? MaxTokens { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public JsonElement? Stop { get; set; }
    public int? N { get; set; }
    public bool? Logprobs { get; set; }
    public int? TopLogprobs { get; set; }
    public List<ToolDto?>? Tools { get; set; }
    public JsonElement? ToolChoice { get; set; }
    public bool? ParallelToolCalls { get; set; }
    public ResponseFormatDto? ResponseFormat { get; set; }
    public string? User { get; set; }
    /// <summary>llama-server's extras: template variables (e.g. enable_thinking), and how thinking is returned.</summary>
    public Dictionary<string, JsonElement>? ChatTemplateKwargs { get; set; }
    public string? ReasoningEffort { get; set; }
    public string? ReasoningFormat { get; set; }
    /// <summary>llama-server's thinking limit (-1 unlimited); <c>thinking_budget_tokens</c> is its other name.</summary>
    public int? ReasoningBudgetTokens { get; set; }
    public int? ThinkingBudgetTokens { get; set; }
}

internal sealed class StreamOptionsDto
{
    public bool? IncludeUsage { get; set; }
}

internal sealed class ChatMessageDto
{
    public string? Role { get; set; }
    /// <summary>A string, an array of content parts, or null (an assistant message with tool calls).</summary>
    public JsonElement? Content { get; set; }
    public string? Name { get; set; }
    public List<ToolCallDto?>? ToolCalls { get; set; }
    public string? ToolCallId { get; set; }
    /// <summary>An assistant turn's earlier thinking (llama-server's field), given back to the template.</summary>
    public string? ReasoningContent { get; set; }
}

internal sealed class ToolDto
{
    public string? Type { get; set; }
    public FunctionDefinitionDto? Function { get; set; }
}

internal sealed class FunctionDefinitionDto
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? Parameters { get; set; }
    public bool? Strict { get; set; }
}

internal sealed class ResponseFormatDto
{
    public string? Type { get; set; }
    public JsonSchemaFormatDto? JsonSchema { get; set; }
}

internal sealed class JsonSchemaFormatDto
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? Schema { get; set; }
    public bool? Strict { get; set; }
}
