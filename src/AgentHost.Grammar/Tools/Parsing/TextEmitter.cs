using System.Text;

namespace AgentHost.Grammar;

/// <summary>
/// Collects released assistant text. Trailing whitespace is held until more text follows, so whitespace right before a
/// call, right after one, or at the end of the reply is dropped no matter how the stream was split.
/// </summary>
internal sealed class TextEmitter
{
    private readonly StringBuilder _out = new();
    private string _pendingWhitespace = "";
    private bool _afterCall;

    /// <summary>Whether only whitespace was released since the start or the last call (where some formats may open a call).</summary>
    public bool AtBoundary { get; private set; } = true;

    public void Emit(string text)
    {
        if (text.Length == 0) return;
        if (_afterCall)
        {
            text = text.TrimStart();
            if (text.Length == 0) return;
            _afterCall = false;
        }
        var core = text.TrimEnd();
        if (core.Length == 0)
        {
            _pendingWhitespace += text;
            return;
        }
        _out.Append(_pendingWhitespace).Append(core);
        _pendingWhitespace = text[core.Length..];
        AtBoundary = false;
    }

    /// <summary>A call starts: whitespace before it is dropped.</summary>
    public void CallStarted() => _pendingWhitespace = "";

    /// <summary>A call ended: whitespace after it is dropped, and a new call may open.</summary>
    public void CallEnded()
    {
        _pendingWhitespace = "";
        _afterCall = true;
        AtBoundary = true;
    }

    /// <summary>The stream ended: trailing whitespace is dropped.</summary>
    public void Finish() => _pendingWhitespace = "";

    /// <summary>Returns and clears the text released so far.</summary>
    public string Take()
    {
        var s = _out.ToString();
        _out.Clear();
        return s;
    }
}
