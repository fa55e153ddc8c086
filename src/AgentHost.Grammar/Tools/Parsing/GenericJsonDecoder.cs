using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentHost.Grammar;

/// <summary>
/// Streams the generic JSON format. <c>{"response": "..."}</c> is decoded and released character by character;
/// <c>{"tool_calls": [...]}</c> (or any other object) is held until complete and then read. A reply that does not start
/// with '{' is plain text.
/// </summary>
internal sealed class GenericJsonDecoder(Func<string> idFactory) : IToolCallDecoder
{
    private enum Mode { Start, Plain, Response, AfterResponse, Buffered, Done }

    private static readonly string[] ResponseOpener = ["{", "\"response\"", ":", "\""];

    private string _buffer = "";
    private int _pos;
    private Mode _mode = Mode.Start;

    private bool _dropped;

    public bool Feed(string text, bool final, bool cutOff, TextEmitter emitter, List<ParsedToolCall> calls)
    {
        _buffer += text;
        var progressed = true;
        while (progressed)
        {
            progressed = _mode switch
            {
                Mode.Start => Start(final),
                Mode.Plain => Plain(emitter),
                Mode.Response => Response(final, emitter),
                Mode.AfterResponse => AfterResponse(emitter),
                Mode.Buffered => Buffered(final, cutOff, emitter, calls),
                _ => false,
            };
        }
        return _dropped;
    }

    private bool Start(bool final)
    {
        var first = JsonValueScanner.SkipWhitespace(_buffer, 0);
        if (first >= _buffer.Length)
        {
            if (!final) return false;
            _mode = Mode.Plain;
            return true;
        }
        if (_buffer[first] != '{')
        {
            _mode = Mode.Plain;
            return true;
        }
        // {"response": " streams its string; anything else is held as a whole object.
        var pos = first;
        foreach (var token in ResponseOpener)
        {
            pos = JsonValueScanner.SkipWhitespace(_buffer, pos);
            var available = Math.Min(_buffer.Length - pos, token.Length);
            if (string.CompareOrdinal(_buffer, pos, token, 0, available) != 0) break;
            if (available < token.Length)
            {
                if (!final) return false; // may still become {"response": "
                break;
            }
            pos += token.Length;
            if (token == "\"")
            {
                _pos = pos;
                _mode = Mode.Response;
                return true;
            }
        }
        _pos = first;
        _mode = Mode.Buffered;
        return true;
    }

    private bool Plain(TextEmitter emitter)
    {
        emitter.Emit(_buffer[_pos..]);
        _buffer = "";
        _pos = 0;
        return false;
    }

    /// <summary>Decodes the response string as far as complete escapes allow.</summary>
    private bool Response(bool final, TextEmitter emitter)
    {
        var sb = new StringBuilder();
        while (_pos < _buffer.Length)
        {
            var c = _buffer[_pos];
            if (c == '"')
            {
                _pos++;
                _mode = Mode.AfterResponse;
                break;
            }
            if (c != '\\')
            {
                sb.Append(c);
                _pos++;
                continue;
            }
            var consumed = DecodeEscape(sb);
            if (consumed == 0) break; // escape not complete yet
            _pos += consumed;
        }
        if (sb.Length > 0) emitter.Emit(sb.ToString());
        if (_mode == Mode.Response && final) _mode = Mode.Done;
        return _mode != Mode.Response;
    }

    /// <summary>Appends the escape at <see cref="_pos"/>; returns the chars consumed, or 0 when it is incomplete.</summary>
    private int DecodeEscape(StringBuilder sb)
    {
        if (_pos + 1 >= _buffer.Length) return 0;
        var e = _buffer[_pos + 1];
        if (e != 'u')
        {
            sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => e });
            return 2;
        }
        if (_pos + 6 > _buffer.Length) return 0;
        if (!int.TryParse(_buffer.AsSpan(_pos + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp))
        {
            sb.Append(_buffer, _pos, 6);
            return 6;
        }
        if (char.IsHighSurrogate((char)cp))
        {
            // A surrogate pair is released whole, so it waits for the second escape.
            if (_pos + 12 > _buffer.Length) return 0;
            if (_buffer[_pos + 6] == '\\' && _buffer[_pos + 7] == 'u' &&
                int.TryParse(_buffer.AsSpan(_pos + 8, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var low) && char.IsLowSurrogate((char)low))
            {
                sb.Append((char)cp).Append((char)low);
                return 12;
            }
        }
        sb.Append((char)cp);
        return 6;
    }

    /// <summary>After the response string only <c>}</c> and whitespace are expected; anything else is shown as text.</summary>
    private bool AfterResponse(TextEmitter emitter)
    {
        var pos = JsonValueScanner.SkipWhitespace(_buffer, _pos);
        if (pos >= _buffer.Length) { _pos = pos; return false; }
        if (_buffer[pos] == '}') pos++;
        emitter.Emit(_buffer[pos..]);
        _buffer = "";
        _pos = 0;
        _mode = Mode.Plain;
        return false;
    }

    private bool Buffered(bool final, bool cutOff, TextEmitter emitter, List<ParsedToolCall> calls)
    {
        var status = JsonValueScanner.FindEnd(_buffer, _pos, out var end);
        if (status == ScanStatus.Incomplete && !final) return false;
        if (status == ScanStatus.Incomplete && cutOff)
        {
            // With tools on, an object other than {"response": ...} is the call envelope; cut off, it cannot be run.
            _buffer = "";
            _pos = 0;
            _mode = Mode.Done;
            _dropped = true;
            return false;
        }
        if (status == ScanStatus.Complete && ToolCallJsonReader.Parse(_buffer[_pos..end]) is { ValueKind: JsonValueKind.Object } obj && Read(obj, emitter, calls))
        {
            _buffer = _buffer[end..];
            _pos = 0;
            _mode = Mode.Plain;
            return true;
        }
        // Not the expected shape: show it as it is.
        _mode = Mode.Plain;
        return true;
    }

    private bool Read(JsonElement obj, TextEmitter emitter, List<ParsedToolCall> calls)
    {
        List<ParsedToolCall>? found = null;
        if (obj.TryGetProperty("tool_calls", out var list) && list.ValueKind == JsonValueKind.Array)
            found = ToolCallJsonReader.ReadCalls(list);
        else if (obj.TryGetProperty("tool_call", out var single))
            found = ToolCallJsonReader.ReadCalls(single);
        var hasResponse = obj.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.String;
        if (found is null && !hasResponse) return false;
        if (hasResponse) emitter.Emit(response.GetString()!);
        if (found is not null)
        {
            emitter.CallStarted();
            calls.AddRange(ToolCallJsonReader.WithIds(found, idFactory));
            emitter.CallEnded();
        }
        return true;
    }
}
