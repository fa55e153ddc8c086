using System.Text;

namespace AgentHost.ChatFormats.Parsing;

/// <summary>What became certain since the last push: new content and reasoning text, and finished tool calls.</summary>
public sealed record ChatParseDelta(string Content, string Reasoning, IReadOnlyList<ParsedChatToolCall> ToolCalls)
{
    public static ChatParseDelta Empty { get; } = new("", "", []);

    public bool IsEmpty => Content.Length == 0 && Reasoning.Length == 0 && ToolCalls.Count == 0;

    /// <summary>A tool call was still open when generation stopped at its token limit; it was dropped.</summary>
    public bool DroppedIncompleteCall { get; init; }

    /// <summary>The whole reply did not follow the family's syntax and was taken as content.</summary>
    public bool Fallback { get; init; }
}

/// <summary>
/// Streams a reply through a <see cref="ChatFormatPlan"/>: each push re-reads everything so far as a partial reply
/// and releases only what can no longer change. Text that might still turn into a tool-call or thinking marker is
/// held back, so markers never reach the content; a call is released once it is whole.
/// </summary>
public sealed class StreamingChatParser
{
    private readonly ChatFormatPlan _plan;
    private readonly StringBuilder _text = new();
    private readonly Decoder _utf8 = new UTF8Encoding(false, false).GetDecoder();
    private readonly Func<int, string> _idFactory;
    private int _contentSent;
    private int _reasoningSent;
    private int _callsSent;
    private char? _pendingHighSurrogate;
    private bool _completed;

    /// <param name="idFactory">Makes the id of a call the model wrote without one (its index is passed).</param>
    public StreamingChatParser(ChatFormatPlan plan, Func<int, string>? idFactory = null)
    {
        _plan = plan;
        _idFactory = idFactory ?? (_ => "call_" + Guid.NewGuid().ToString("N")[..24]);
    }

    /// <summary>Everything pushed so far.</summary>
    public string Text => _text.ToString();

    public ChatParseDelta Push(string delta)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (delta.Length == 0) return ChatParseDelta.Empty;
        if (_pendingHighSurrogate is { } high)
        {
            delta = high + delta;
            _pendingHighSurrogate = null;
        }
        if (char.IsHighSurrogate(delta[^1]))
        {
            _pendingHighSurrogate = delta[^1];
            delta = delta[..^1];
            if (delta.Length == 0) return ChatParseDelta.Empty;
        }
        _text.Append(delta);
        return Release(_plan.Parse(_text.ToString(), partial: true), final: false, cutOff: false);
    }

    /// <summary>Feeds raw UTF-8 bytes; a character split across calls waits for its remaining bytes.</summary>
    public ChatParseDelta PushUtf8(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
        var n = _utf8.GetChars(bytes, chars, flush: false);
        return Push(new string(chars, 0, n));
    }

    /// <summary>
    /// Ends the reply. With <paramref name="cutOff"/> (the token limit was hit) a call still open is dropped: it cannot
    /// be run, and its half-written syntax is not an answer.
    /// </summary>
    public ChatParseDelta Complete(bool cutOff = false)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        var tail = new char[_utf8.GetCharCount([], flush: true)];
        _text.Append(tail, 0, _utf8.GetChars([], tail, flush: true));
        if (_pendingHighSurrogate is { } high) _text.Append(high);
        var text = _text.ToString();
        var message = cutOff ? _plan.Parse(text, partial: true) : _plan.Parse(text, partial: false);
        return Release(message, final: true, cutOff);
    }

    private ChatParseDelta Release(ParsedChatMessage message, bool final, bool cutOff)
    {
        var content = Suffix(message.Content, ref _contentSent);
        var reasoning = Suffix(message.ReasoningContent, ref _reasoningSent);
        var calls = new List<ParsedChatToolCall>();
        var dropped = false;
        for (var i = _callsSent; i < message.ToolCalls.Count; i++)
        {
            var call = message.ToolCalls[i];
            if (!call.IsComplete && !(final && !cutOff))
            {
                dropped = final;
                break;
            }
            calls.Add(call.Id.Length > 0 ? call : call with { Id = _idFactory(i) });
            _callsSent = i + 1;
        }
        if (final && cutOff && !dropped && message.ToolCalls.Count == _callsSent && IsInsideCall(message)) dropped = true;
        return new ChatParseDelta(content, reasoning, calls) { DroppedIncompleteCall = dropped, Fallback = message.IsFallback };
    }

    // A call opener that was cut off before the call got its name leaves no call in the message.
    private bool IsInsideCall(ParsedChatMessage message) =>
        _plan.Inputs.HasTools && message.Content.Length + message.ReasoningContent.Length < _text.Length
        && _plan.TriggerWords.Any(w => _text.ToString().Contains(w, StringComparison.Ordinal));

    /// <summary>The part of <paramref name="full"/> not yet sent (streamed text only ever grows).</summary>
    private static string Suffix(string full, ref int sent)
    {
        if (full.Length <= sent) return "";
        var s = full[sent..];
        sent = full.Length;
        return s;
    }
}
