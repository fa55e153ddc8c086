namespace AgentHost.Llama.Engine;

/// <summary>
/// Streams text while watching for stop sequences: text that could still become the start of a stop sequence is
/// held back, so a stop sequence never leaks into the output, even when it is split across tokens.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private readonly string[] _stops = stops.Where(s => s.Length > 0).ToArray();
    private string _held = "";

    public bool Stopped { get; private set; }

    /// <summary>Adds text; returns what can be emitted now. Sets <see cref="Stopped"/> when a stop sequence completes.</summary>
    public string Push(string text)
    {
        if (Stopped) return "";
        if (_stops.Length == 0) return text;
        var buffer = _held + text;
        var first = -1;
        foreach (var stop in _stops)
        {
            var i = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (i >= 0 && (first < 0 || i < first)) first = i;
        }
        if (first >= 0)
        {
            Stopped = true;
            _held = "";
            return buffer[..first];
        }
        var keep = 0;
        foreach (var stop in _stops)
            for (var len = Math.Min(stop.Length - 1, buffer.Length); len > keep; len--)
                if (buffer.AsSpan(buffer.Length - len).SequenceEqual(stop.AsSpan(0, len))) { keep = len; break; }
        _held = buffer[^keep..];
        return buffer[..^keep];
    }

    /// <summary>At the end of generation, held-back text that never became a stop sequence is released.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _held;
        _held = "";
        return rest;
    }
}
