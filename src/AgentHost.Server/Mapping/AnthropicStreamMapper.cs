using System.Text.Json;
using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>
/// Turns a stream of MEAI updates into Anthropic's event sequence for one message: message_start, then per content
/// block content_block_start / content_block_delta (text_delta, thinking_delta, input_json_delta) /
/// content_block_stop, then message_delta with the stop reason and usage, and message_stop. A tool call arrives
/// whole from the chat client, so its input is one input_json_delta.
/// </summary>
internal sealed class AnthropicStreamMapper(string id, string modelId, int inputTokens)
{
    private int _index = -1;
    private string? _openType;
    private bool _calledTools;
    private ChatFinishReason? _finish;
    private UsageDetails? _usage;

    public AnthropicStreamEvent Start() => new()
    {
        Type = "message_start",
        Message = new AnthropicMessage
        {
            Id = id,
            Model = modelId,
            Content = [],
            Usage = new AnthropicUsage { InputTokens = inputTokens, OutputTokens = 0, CacheReadInputTokens = 0, CacheCreationInputTokens = 0 },
        },
    };

    public IEnumerable<AnthropicStreamEvent> Map(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextReasoningContent reasoning when reasoning.Text.Length > 0:
                    foreach (var e in Open("thinking", AnthropicContentBlock.ForThinking("", null))) yield return e;
                    yield return Delta(new AnthropicThinkingDelta(reasoning.Text));
                    break;
                case TextContent text when text.Text.Length > 0:
                    foreach (var e in Open("text", AnthropicContentBlock.ForText(""))) yield return e;
                    yield return Delta(new AnthropicTextDelta(text.Text));
                    break;
                case FunctionCallContent call:
                    // Each tool call is its own block, never continued.
                    foreach (var e in Close()) yield return e;
                    _calledTools = true;
                    foreach (var e in Open("tool_use", AnthropicContentBlock.ForToolUse(AnthropicResponseMapper.ToolUseId(call), call.Name, JsonSerializer.SerializeToElement(new { }))))
                        yield return e;
                    yield return Delta(new AnthropicInputJsonDelta(AnthropicResponseMapper.Input(call).GetRawText()));
                    foreach (var e in Close()) yield return e;
                    break;
                case UsageContent usage:
                    _usage = usage.Details;
                    break;
            }
        }
        if (update.FinishReason is { } reason) _finish = reason;
    }

    /// <summary>The events after the last update: the open block's stop, message_delta, message_stop.</summary>
    public IEnumerable<AnthropicStreamEvent> Complete()
    {
        foreach (var e in Close()) yield return e;
        var usage = AnthropicResponseMapper.ToUsage(_usage);
        yield return new AnthropicStreamEvent
        {
            Type = "message_delta",
            Delta = new AnthropicMessageDeltaBody(AnthropicResponseMapper.StopReason(_finish, _calledTools), null),
            Usage = usage,
        };
        yield return new AnthropicStreamEvent { Type = "message_stop" };
    }

    /// <summary>The usage the message ended with (for metrics).</summary>
    public AnthropicUsage Usage => AnthropicResponseMapper.ToUsage(_usage);

    private IEnumerable<AnthropicStreamEvent> Open(string type, AnthropicContentBlock start)
    {
        if (_openType == type) yield break;
        foreach (var e in Close()) yield return e;
        _index++;
        _openType = type;
        yield return new AnthropicStreamEvent { Type = "content_block_start", Index = _index, ContentBlock = start };
    }

    private IEnumerable<AnthropicStreamEvent> Close()
    {
        if (_openType is null) yield break;
        // A thinking block ends with its signature; a local model's reasoning has none to verify, so it is empty.
        if (_openType == "thinking") yield return Delta(new AnthropicSignatureDelta(""));
        _openType = null;
        yield return new AnthropicStreamEvent { Type = "content_block_stop", Index = _index };
    }

    private AnthropicStreamEvent Delta(object delta) => new() { Type = "content_block_delta", Index = _index, Delta = delta };
}
