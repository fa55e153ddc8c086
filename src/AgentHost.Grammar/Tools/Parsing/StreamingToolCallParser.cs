using System.Text;

namespace AgentHost.Grammar;

/// <summary>
/// Incremental tool-call parser. Feed it text (or UTF-8 bytes) as the model produces it: plain assistant text comes
/// back immediately, except what may be the start of a tool-call opener, which is held until it is decided, so call
/// syntax never leaks into the visible text. Completed calls come back as soon as they are whole.
/// </summary>
public sealed class StreamingToolCallParser
{
    private readonly IToolCallDecoder _decoder;
    private readonly TextEmitter _emitter = new();
    private readonly Decoder _utf8 = new UTF8Encoding(false, false).GetDecoder();
    private char? _pendingHighSurrogate;
    private bool _completed;

    /// <summary>Creates a parser for <paramref name="format"/>; <paramref name="idFactory"/> makes ids for calls without one.</summary>
    public StreamingToolCallParser(ToolCallFormat format, Func<string>? idFactory = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        Format = format;
        _decoder = format.CreateDecoder(idFactory ?? ToolCallIds.New);
    }

    /// <summary>The format being parsed.</summary>
    public ToolCallFormat Format { get; }

    /// <summary>Feeds a text delta.</summary>
    public StreamingToolCallUpdate Push(string delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (delta.Length == 0) return StreamingToolCallUpdate.Empty;
        if (_pendingHighSurrogate is { } high)
        {
            delta = high + delta;
            _pendingHighSurrogate = null;
        }
        // Never split a surrogate pair across updates.
        if (char.IsHighSurrogate(delta[^1]))
        {
            _pendingHighSurrogate = delta[^1];
            delta = delta[..^1];
        }
        return Step(delta, final: false);
    }

    /// <summary>Feeds raw UTF-8 bytes; a multi-byte character split across calls is completed by the next call.</summary>
    public StreamingToolCallUpdate PushUtf8(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
        var n = _utf8.GetChars(bytes, chars, flush: false);
        return Push(new string(chars, 0, n));
    }

    /// <summary>
    /// Ends the stream: releases whatever is held (as calls when complete, as text otherwise). With
    /// <paramref name="cutOff"/> (generation hit its token limit) a call still open is dropped instead of being shown
    /// as text: it cannot be run, and its half-written syntax is not an answer.
    /// </summary>
    public StreamingToolCallUpdate Complete(bool cutOff = false)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        var rest = new StringBuilder();
        var tail = new char[_utf8.GetCharCount([], flush: true)];
        rest.Append(tail, 0, _utf8.GetChars([], tail, flush: true));
        if (_pendingHighSurrogate is { } high) rest.Insert(0, high);
        return Step(rest.ToString(), final: true, cutOff);
    }

    private StreamingToolCallUpdate Step(string text, bool final, bool cutOff = false)
    {
        var calls = new List<ParsedToolCall>();
        var dropped = _decoder.Feed(text, final, cutOff, _emitter, calls);
        if (final) _emitter.Finish();
        var released = _emitter.Take();
        if (dropped) return new StreamingToolCallUpdate(released, calls) { DroppedIncompleteCall = true };
        return released.Length == 0 && calls.Count == 0 ? StreamingToolCallUpdate.Empty : new StreamingToolCallUpdate(released, calls);
    }
}
