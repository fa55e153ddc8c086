using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Server.Protocol;

/// <summary>
/// OpenAI's Response object (what POST/GET /v1/responses return and the stream's lifecycle events carry). Fields the
/// SDKs read are always written (null where OpenAI writes null), so the openai npm package and the OpenAI .NET SDK
/// parse it as one of theirs.
/// </summary>
internal sealed class ResponseObject
{
    public required string Id { get; init; }
    public string Object { get; init; } = "response";
    public long CreatedAt { get; init; }
    public string Status { get; set; } = "in_progress";
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ResponseErrorDto? Error { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ResponseIncompleteDetailsDto? IncompleteDetails { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Instructions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? MaxOutputTokens { get; init; }
    public required string Model { get; init; }
    public List<ResponseItem> Output { get; set; } = [];
    public bool ParallelToolCalls { get; init; } = true;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? PreviousResponseId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ResponseConversationRef? Conversation { get; init; }
    public ResponseReasoningDto Reasoning { get; init; } = new();
    public bool Store { get; init; } = true;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public float? Temperature { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public float? TopP { get; init; }
    public ResponseTextOut Text { get; init; } = new();
    public JsonElement ToolChoice { get; init; }
    public List<ResponseToolOut> Tools { get; init; } = [];
    public string Truncation { get; init; } = "disabled";
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ResponseUsageDto? Usage { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? User { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? SafetyIdentifier { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Background { get; init; }
}

internal sealed record ResponseConversationRef(string Id);

internal sealed record ResponseErrorDto(string Code, string Message);

internal sealed record ResponseIncompleteDetailsDto(string Reason);

internal sealed class ResponseTextOut
{
    public ResponseTextFormatOut Format { get; init; } = new() { Type = "text" };
}

internal sealed class ResponseTextFormatOut
{
    public required string Type { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public JsonElement? Schema { get; init; }
    public bool? Strict { get; init; }
}

internal sealed class ResponseToolOut
{
    public string Type { get; init; } = "function";
    public required string Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Description { get; init; }
    public JsonElement Parameters { get; init; }
    public bool Strict { get; init; }
}

internal sealed class ResponseUsageDto
{
    public int InputTokens { get; init; }
    public ResponseInputTokensDetails InputTokensDetails { get; init; } = new();
    public int OutputTokens { get; init; }
    public ResponseOutputTokensDetails OutputTokensDetails { get; init; } = new();
    public int TotalTokens { get; init; }
}

internal sealed class ResponseInputTokensDetails
{
    public int CachedTokens { get; init; }
}

internal sealed class ResponseOutputTokensDetails
{
    public int ReasoningTokens { get; init; }
}

/// <summary>An output (or conversation) item; <c>type</c> says which.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageItem), "message")]
[JsonDerivedType(typeof(ReasoningItem), "reasoning")]
[JsonDerivedType(typeof(FunctionCallItem), "function_call")]
[JsonDerivedType(typeof(FunctionCallOutputItem), "function_call_output")]
[JsonDerivedType(typeof(McpApprovalRequestItem), "mcp_approval_request")]
[JsonDerivedType(typeof(McpApprovalResponseItem), "mcp_approval_response")]
internal abstract class ResponseItem
{
    public required string Id { get; init; }
}

internal sealed class MessageItem : ResponseItem
{
    public string Status { get; set; } = "completed";
    public required string Role { get; init; }
    public List<ContentPart> Content { get; init; } = [];
}

/// <summary>A part of a message: output_text (assistant) or input_text (user, system, developer).</summary>
internal sealed class ContentPart
{
    public required string Type { get; init; }
    public string Text { get; set; } = "";
    /// <summary>Only on output_text (OpenAI writes [] there).</summary>
    public List<JsonElement>? Annotations { get; init; }
    public List<JsonElement>? Logprobs { get; init; }

    public static ContentPart Output(string text = "") => new() { Type = "output_text", Text = text, Annotations = [], Logprobs = [] };
    public static ContentPart Input(string text) => new() { Type = "input_text", Text = text };
}

internal sealed class ReasoningItem : ResponseItem
{
    public List<ReasoningSummaryPart> Summary { get; init; } = [];
    public List<ReasoningTextPart> Content { get; init; } = [];
    public string Status { get; set; } = "completed";
}

internal sealed record ReasoningSummaryPart(string Text)
{
    public string Type { get; init; } = "summary_text";
}

internal sealed class ReasoningTextPart
{
    public string Type { get; init; } = "reasoning_text";
    public string Text { get; set; } = "";
}

internal sealed class FunctionCallItem : ResponseItem
{
    public required string CallId { get; init; }
    public required string Name { get; init; }
    public string Arguments { get; set; } = "";
    public string Status { get; set; } = "completed";
}

internal sealed class FunctionCallOutputItem : ResponseItem
{
    public required string CallId { get; init; }
    public required string Output { get; init; }
    public string Status { get; init; } = "completed";
}

/// <summary>A tool call that waits for a person's approval (answered by an mcp_approval_response input item).</summary>
internal sealed class McpApprovalRequestItem : ResponseItem
{
    public required string Name { get; init; }
    public required string Arguments { get; init; }
    public required string ServerLabel { get; init; }
}

internal sealed class McpApprovalResponseItem : ResponseItem
{
    public required string ApprovalRequestId { get; init; }
    public bool Approve { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Reason { get; init; }
}

/// <summary>{"object":"list","data":[...],"first_id","last_id","has_more"}.</summary>
internal sealed class ItemListDto<T>
{
    public string Object { get; init; } = "list";
    public required List<T> Data { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? FirstId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? LastId { get; init; }
    public bool HasMore { get; init; }
}

internal sealed record DeletedDto(string Id, string Object, bool Deleted);

/// <summary>A conversation; agent and title are AgentHost's additions (the web UI lists sessions with them).</summary>
internal sealed class ConversationObject
{
    public required string Id { get; init; }
    public string Object { get; init; } = "conversation";
    public long CreatedAt { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public string? Agent { get; init; }
    public string? Title { get; init; }
}

/// <summary>What a pending approval needs to resume: the framework's request id and the call it approves.</summary>
internal sealed record PendingApproval(string RequestId, string CallId, string Name, string Arguments);
