using System.Text.Json;
using AgentHost.Server.Protocol;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>
/// An agent run's updates → the Response's output items, and the stream events that build them: text becomes a
/// <c>message</c> item (output_text deltas), reasoning a <c>reasoning</c> item, each tool call a
/// <c>function_call</c> item (the client's own tools end the response there; AgentHost's tools run server-side and
/// their results follow as <c>function_call_output</c> items), and a call that needs approval an
/// <c>mcp_approval_request</c> item. One code path for streamed and non-streamed responses.
/// </summary>
internal sealed class ResponsesOutputMapper(ResponseObject response, string serverLabel)
{
    private readonly List<ResponseStreamEvent> _events = [];
    private readonly HashSet<string> _shownCalls = new(StringComparer.Ordinal);
    private int _sequence;
    private MessageItem? _message;
    private string? _messageSource;
    private ReasoningItem? _reasoning;
    private long _input, _output, _cached, _reasoningTokens;

    public ResponseObject Response => response;

    /// <summary>Approvals this response leaves waiting.</summary>
    public List<PendingApproval> Pending { get; } = [];

    /// <summary>response.created and response.in_progress.</summary>
    public IReadOnlyList<ResponseStreamEvent> Start()
    {
        Emit(new ResponseLifecycleEvent("response.created", Snapshot()));
        Emit(new ResponseLifecycleEvent("response.in_progress", Snapshot()));
        return Drain();
    }

    public IReadOnlyList<ResponseStreamEvent> Map(AgentResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent text when !string.IsNullOrEmpty(text.Text):
                    AppendText(text.Text, update.MessageId);
                    break;
                case TextReasoningContent reasoning when !string.IsNullOrEmpty(reasoning.Text):
                    AppendReasoning(reasoning.Text);
                    break;
                case FunctionCallContent call:
                    AddCall(call);
                    break;
                case FunctionResultContent result:
                    AddResult(result);
                    break;
                case ToolApprovalRequestContent approval when approval.ToolCall is FunctionCallContent call:
                    AddApproval(approval.RequestId, call);
                    break;
                case UsageContent usage:
                    AddUsage(usage.Details);
                    break;
            }
        }
        return Drain();
    }

    /// <summary>
    /// Closes what is open and finishes the response: response.completed, or response.incomplete when the token limit
    /// cut the reply (or a tool call, which is then dropped and leaves no item).
    /// </summary>
    public IReadOnlyList<ResponseStreamEvent> Complete(bool hitTokenLimit)
    {
        CloseOpen();
        response.Usage = Usage();
        if (hitTokenLimit && response.Output.LastOrDefault() is null or MessageItem or ReasoningItem)
        {
            response.Status = "incomplete";
            response.IncompleteDetails = new ResponseIncompleteDetailsDto("max_output_tokens");
            Emit(new ResponseLifecycleEvent("response.incomplete", response));
        }
        else
        {
            response.Status = "completed";
            Emit(new ResponseLifecycleEvent("response.completed", response));
        }
        return Drain();
    }

    /// <summary>response.failed with OpenAI's error object.</summary>
    public IReadOnlyList<ResponseStreamEvent> Fail(string code, string message)
    {
        CloseOpen();
        response.Status = "failed";
        response.Error = new ResponseErrorDto(code, message);
        response.Usage = Usage();
        Emit(new ResponseLifecycleEvent("response.failed", response));
        return Drain();
    }

    private void AppendText(string text, string? messageId)
    {
        if (_message is null || (messageId is not null && _messageSource is not null && messageId != _messageSource))
        {
            CloseOpen();
            _message = new MessageItem { Id = NewId("msg"), Role = "assistant", Status = "in_progress" };
            _messageSource = messageId;
            var index = Add(_message);
            Emit(new OutputItemEvent("response.output_item.added", index, Copy(_message)));
            var part = ContentPart.Output();
            _message.Content.Add(part);
            Emit(new ContentPartEvent("response.content_part.added", _message.Id, index, 0, ContentPart.Output()));
        }
        _message.Content[0].Text += text;
        Emit(new OutputTextDeltaEvent(_message.Id, IndexOf(_message), 0, text));
    }

    private void AppendReasoning(string text)
    {
        if (_reasoning is null)
        {
            CloseOpen();
            _reasoning = new ReasoningItem { Id = NewId("rs"), Status = "in_progress" };
            var index = Add(_reasoning);
            Emit(new OutputItemEvent("response.output_item.added", index, Copy(_reasoning)));
            _reasoning.Content.Add(new ReasoningTextPart());
        }
        _reasoning.Content[0].Text += text;
        Emit(new ReasoningTextDeltaEvent(_reasoning.Id, IndexOf(_reasoning), 0, text));
    }

    private void AddCall(FunctionCallContent call)
    {
        CloseOpen();
        // The framework repeats a call it re-issues after an approval; show each call once.
        if (!_shownCalls.Add(call.CallId)) return;
        var arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
        var item = new FunctionCallItem { Id = NewId("fc"), CallId = call.CallId, Name = call.Name, Arguments = "", Status = "in_progress" };
        var index = Add(item);
        Emit(new OutputItemEvent("response.output_item.added", index, Copy(item)));
        item.Arguments = arguments;
        Emit(new FunctionCallArgumentsDeltaEvent(item.Id, index, arguments));
        Emit(new FunctionCallArgumentsDoneEvent(item.Id, index, item.Name, arguments));
        item.Status = "completed";
        Emit(new OutputItemEvent("response.output_item.done", index, item));
    }

    private void AddResult(FunctionResultContent result)
    {
        CloseOpen();
        var output = result.Result switch
        {
            null => result.Exception?.Message ?? "",
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
            var other => JsonSerializer.Serialize(other, AIJsonUtilities.DefaultOptions),
        };
        var item = new FunctionCallOutputItem { Id = NewId("fco"), CallId = result.CallId, Output = output };
        var index = Add(item);
        Emit(new OutputItemEvent("response.output_item.added", index, item));
        Emit(new OutputItemEvent("response.output_item.done", index, item));
    }

    private void AddApproval(string requestId, FunctionCallContent call)
    {
        CloseOpen();
        var arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
        var item = new McpApprovalRequestItem { Id = requestId, Name = call.Name, Arguments = arguments, ServerLabel = serverLabel };
        var index = Add(item);
        Emit(new OutputItemEvent("response.output_item.added", index, item));
        Emit(new OutputItemEvent("response.output_item.done", index, item));
        Pending.Add(new PendingApproval(requestId, call.CallId, call.Name, arguments));
    }

    private void AddUsage(UsageDetails details)
    {
        _input += details.InputTokenCount ?? 0;
        _output += details.OutputTokenCount ?? 0;
        _reasoningTokens += details.ReasoningTokenCount ?? 0;
        var cached = details.CachedInputTokenCount ?? 0;
        if (cached == 0 && details.AdditionalCounts?.TryGetValue("CachedInputTokens", out var extra) == true) cached = extra;
        _cached += cached;
    }

    private ResponseUsageDto Usage() => new()
    {
        InputTokens = (int)_input,
        InputTokensDetails = new ResponseInputTokensDetails { CachedTokens = (int)_cached },
        OutputTokens = (int)_output,
        OutputTokensDetails = new ResponseOutputTokensDetails { ReasoningTokens = (int)_reasoningTokens },
        TotalTokens = (int)(_input + _output),
    };

    private void CloseOpen()
    {
        if (_message is { } message)
        {
            var index = IndexOf(message);
            var text = message.Content[0].Text;
            Emit(new OutputTextDoneEvent(message.Id, index, 0, text));
            Emit(new ContentPartEvent("response.content_part.done", message.Id, index, 0, ContentPart.Output(text)));
            message.Status = "completed";
            Emit(new OutputItemEvent("response.output_item.done", index, message));
            _message = null;
            _messageSource = null;
        }
        if (_reasoning is { } reasoning)
        {
            var index = IndexOf(reasoning);
            Emit(new ReasoningTextDoneEvent(reasoning.Id, index, 0, reasoning.Content[0].Text));
            reasoning.Status = "completed";
            Emit(new OutputItemEvent("response.output_item.done", index, reasoning));
            _reasoning = null;
        }
    }

    private int Add(ResponseItem item)
    {
        response.Output.Add(item);
        return response.Output.Count - 1;
    }

    private int IndexOf(ResponseItem item) => response.Output.IndexOf(item);

    private void Emit(ResponseStreamEvent e)
    {
        e.SequenceNumber = _sequence++;
        _events.Add(e);
    }

    private IReadOnlyList<ResponseStreamEvent> Drain()
    {
        var list = _events.ToList();
        _events.Clear();
        return list;
    }

    /// <summary>The response as it stands (its output list copied, so a later item does not change a sent event).</summary>
    private ResponseObject Snapshot() => JsonSerializer.Deserialize<ResponseObject>(JsonSerializer.Serialize(response, OpenAiJson.Options), OpenAiJson.Options)!;

    /// <summary>An item as it stands now (the live one keeps growing).</summary>
    private static ResponseItem Copy(ResponseItem item) => JsonSerializer.Deserialize<ResponseItem>(JsonSerializer.Serialize(item, OpenAiJson.Options), OpenAiJson.Options)!;

    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";
}
