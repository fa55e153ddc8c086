namespace AgentHost.Grammar;

/// <summary>
/// Streams a marker-based format: text is released as soon as no opener can start in it, anything that may be the
/// start of an opener is held back, and a block is released as calls once complete (or as text if it turns out not
/// to be a valid call).
/// </summary>
internal sealed class MarkerToolCallDecoder(ToolCallSyntax syntax, Func<string> idFactory) : IToolCallDecoder
{
    private string _buffer = "";
    private int _scan;          // first char not yet released or consumed
    private int _blockStart = -1;
    private int _openerLength;

    public bool Feed(string text, bool final, bool cutOff, TextEmitter emitter, List<ParsedToolCall> calls)
    {
        _buffer += text;
        while (true)
        {
            if (_blockStart >= 0)
            {
                if (final && cutOff && syntax.ReadBlock(_buffer, _blockStart, _openerLength, final: false).Status == ScanStatus.Incomplete)
                {
                    _buffer = _buffer[.._blockStart];
                    _blockStart = -1;
                    emitter.CallEnded();
                    return true;
                }
                var block = syntax.ReadBlock(_buffer, _blockStart, _openerLength, final);
                if (block.Status == ScanStatus.Incomplete) break;
                if (block.Status == ScanStatus.Complete)
                {
                    calls.AddRange(ToolCallJsonReader.WithIds(block.Calls!, idFactory));
                    emitter.CallEnded();
                    _scan = block.End;
                }
                else
                {
                    // Not a call after all: its opener is plain text, and scanning resumes after it.
                    var openerEnd = _blockStart + Math.Max(_openerLength, 1);
                    emitter.Emit(_buffer[_blockStart..openerEnd]);
                    _scan = openerEnd;
                }
                _blockStart = -1;
                continue;
            }
            if (!ScanText(final, cutOff, emitter, out var droppedOpener))
            {
                if (droppedOpener) return true;
                break;
            }
        }
        Compact();
        return false;
    }

    /// <summary>Releases text up to the next opener; true when a block starts and the loop should go on.</summary>
    private bool ScanText(bool final, bool cutOff, TextEmitter emitter, out bool droppedOpener)
    {
        droppedOpener = false;
        for (var i = _scan; i < _buffer.Length; i++)
        {
            var atBoundary = emitter.AtBoundary && string.IsNullOrWhiteSpace(_buffer[_scan..i]);
            var status = syntax.MatchOpener(_buffer, i, atBoundary, out var length);
            if (status == OpenerStatus.NoMatch) continue;
            if (status == OpenerStatus.NeedMore && final)
            {
                if (!cutOff) continue;
                // Cut off inside what may be an opener: it is dropped with the call it began.
                emitter.Emit(_buffer[_scan..i]);
                _buffer = _buffer[..i];
                _scan = i;
                droppedOpener = true;
                return false;
            }
            emitter.Emit(_buffer[_scan..i]);
            _scan = i;
            if (status == OpenerStatus.NeedMore) return false; // hold the possible opener back
            emitter.CallStarted();
            _blockStart = i;
            _openerLength = length;
            return true;
        }
        emitter.Emit(_buffer[_scan..]);
        _scan = _buffer.Length;
        return false;
    }

    private void Compact()
    {
        var keep = _blockStart >= 0 ? _blockStart : _scan;
        if (keep == 0) return;
        _buffer = _buffer[keep..];
        _scan -= keep;
        if (_blockStart >= 0) _blockStart -= keep;
    }
}
