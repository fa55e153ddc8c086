using System.Text.Json;

namespace AgentHost.Server.Protocol;

/// <summary>POST /v1/responses: the fields of OpenAI's create-response request that AgentHost serves.</summary>
internal sealed class CreateResponseRequest
{
    public string? Model { get; set; }
    /// <summary>A string, or an array of input items (messages, function_call_output, mcp_approval_response, ...).</summary>
    public JsonElement? Input { get; set; }
    public string? Instructions { get; set; }
    public List<ResponseToolDto?>? Tools { get; set; }
    /// <summary>"auto", "none", "required" or {"type":"function","name":...}.</summary>
    public JsonElement? ToolChoice { get; set; }
    public bool? ParallelToolCalls { get; set; }
    public ResponseTextDto? Text { get; set; }
    public ResponseReasoningDto? Reasoning { get; set; }
    public int? MaxOutputTokens { get; set; }
    public float? Temperature { get; set; }
    public float? TopP { get; set; }
    public Dictionary<string, string>? Metadata { get; set; }
    public bool? Store { get; set; }
    public bool? Stream { get; set; }
    public string? PreviousResponseId { get; set; }
    /// <summary>A conversation id, or {"id": ...}.</summary>
    public JsonElement? Conversation { get; set; }
    public string? User { get; set; }
    public string? SafetyIdentifier { get; set; }
    public string? Truncation { get; set; }
    public bool? Background { get; set; }
}

/// <summary>A tool of a Responses request: function tools are flat (name, parameters at the top level).</summary>
internal sealed class ResponseToolDto
{
    public string? Type { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? Parameters { get; set; }
    public bool? Strict { get; set; }
}

internal sealed class ResponseTextDto
{
    public ResponseTextFormatDto? Format { get; set; }
    public string? Verbosity { get; set; }
}

/// <summary>text.format: {"type":"text"}, {"type":"json_object"} or {"type":"json_schema","name","schema","strict"}.</summary>
internal sealed class ResponseTextFormatDto
{
    public string? Type { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? Schema { get; set; }
    public bool? Strict { get; set; }
}

internal sealed class ResponseReasoningDto
{
    public string? Effort { get; set; }
    public string? Summary { get; set; }
}

/// <summary>POST /v1/conversations.</summary>
internal sealed class CreateConversationRequest
{
    public Dictionary<string, string>? Metadata { get; set; }
    /// <summary>Items to start the conversation with: not supported (the first response brings them).</summary>
    public JsonElement? Items { get; set; }
}
