using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Server.Protocol;

/// <summary>
/// The typed server-sent events of a streamed response (<c>event: TYPE</c>, <c>data: {...}</c>), each numbered by
/// <c>sequence_number</c> in the order sent, as OpenAI's Responses API streams them.
/// </summary>
internal abstract class ResponseStreamEvent(string type)
{
    [JsonPropertyOrder(-2)] public string Type { get; } = type;
    [JsonPropertyOrder(-1)] public int SequenceNumber { get; set; }
}

/// <summary>response.created, response.in_progress, response.completed, response.failed.</summary>
internal sealed class ResponseLifecycleEvent(string type, ResponseObject response) : ResponseStreamEvent(type)
{
    public ResponseObject Response { get; } = response;
}

/// <summary>response.output_item.added / .done.</summary>
internal sealed class OutputItemEvent(string type, int outputIndex, ResponseItem item) : ResponseStreamEvent(type)
{
    public int OutputIndex { get; } = outputIndex;
    public ResponseItem Item { get; } = item;
}

/// <summary>response.content_part.added / .done.</summary>
internal sealed class ContentPartEvent(string type, string itemId, int outputIndex, int contentIndex, ContentPart part) : ResponseStreamEvent(type)
{
    public string ItemId { get; } = itemId;
    public int OutputIndex { get; } = outputIndex;
    public int ContentIndex { get; } = contentIndex;
    public ContentPart Part { get; } = part;
}

/// <summary>response.output_text.delta.</summary>
internal sealed class OutputTextDeltaEvent(string itemId, int outputIndex, int contentIndex, string delta) : ResponseStreamEvent("response.output_text.delta")
{
    public string ItemId { get; } = itemId;
    public int OutputIndex { get; } = outputIndex;
    public int ContentIndex { get; } = contentIndex;
    public string Delta { get; } = delta;
    public List<JsonElement> Logprobs { get; } = [];
}

/// <summary>response.output_text.done.</summary>
internal sealed class OutputTextDoneEvent(string itemId, int outputIndex, int contentIndex, string text) : ResponseStreamEvent("response.output_text.done")
{
    public string ItemId { get; } = itemId;
    public int OutputIndex { get; } = outputIndex;
    public int ContentIndex { get; } = contentIndex;
    public string Text { get; } = text;
    public List<JsonElement> Logprobs { get; } = [];
}

/// <summary>response.reasoning_text.delta.</summary>
internal sealed class ReasoningTextDeltaEvent(string itemId, int outputIndex, int contentIndex, string delta) : ResponseStreamEvent("response.reasoning_text.delta")
{
    public string ItemId { get; } = itemId;
    public int OutputIndex { get; } = outputIndex;
    public int ContentIndex { get; } = contentIndex;
    public string Delta { get; } = delta;
}

/// <summary>response.reasoning_text.done.</summary>
internal sealed class ReasoningTextDoneEvent(string itemId, int outputIndex, int contentIndex, string text) : ResponseStreamEvent("response.reasoning_text.done")
{
    public string ItemId { get; } = itemId;
    public int OutputIndex { get; } = outputIndex;
    public int ContentIndex { get; } = contentIndex;
    public string Text { get; } = text;
}

/// <summary>response.function_call_arguments.delta.</summary>
internal sealed class FunctionCallArgumentsDeltaEvent(string itemId, int outputIndex, string delta) : ResponseStreamEvent("response.function_call_arguments.delta")
{
    public string ItemId { get; } = itemId;
    public int OutputIndex { get; } = outputIndex;
    public string Delta { get; } = delta;
}

/// <summary>response.function_call_arguments.done.</summary>
internal sealed class FunctionCallArgumentsDoneEvent(string itemId, int outputIndex, string name, string arguments) : ResponseStreamEvent("response.function_call_arguments.done")
{
    public string ItemId { get; } = itemId;
    public int OutputIndex { get; } = outputIndex;
    public string Name { get; } = name;
    public string Arguments { get; } = arguments;
}
