namespace AgentHost.Grammar;

/// <summary>Whether text at a position opens a tool call.</summary>
internal enum OpenerStatus
{
    /// <summary>It does not.</summary>
    NoMatch,

    /// <summary>The buffer ends in what may still become an opener: hold the text back.</summary>
    NeedMore,

    /// <summary>It does.</summary>
    Match,
}

/// <summary>Outcome of reading a call block.</summary>
internal readonly record struct BlockResult(ScanStatus Status, int End, List<ParsedToolCall>? Calls)
{
    public static BlockResult Incomplete => new(ScanStatus.Incomplete, 0, null);

    public static BlockResult Invalid => new(ScanStatus.Invalid, 0, null);
}

/// <summary>The markers and block shape of a marker-based format (Hermes, Mistral, Llama 3).</summary>
internal abstract class ToolCallSyntax
{
    /// <summary>Whether a call opens at <paramref name="pos"/>; <paramref name="length"/> is the opener's length.</summary>
    public abstract OpenerStatus MatchOpener(string buffer, int pos, bool atBoundary, out int length);

    /// <summary>Reads the block that starts at <paramref name="start"/> with an opener of <paramref name="openerLength"/> chars.</summary>
    public abstract BlockResult ReadBlock(string buffer, int start, int openerLength, bool final);

    /// <summary>Matches the literal <paramref name="word"/> at <paramref name="pos"/>.</summary>
    protected static OpenerStatus MatchWord(string buffer, int pos, string word)
    {
        var available = buffer.Length - pos;
        if (available >= word.Length) return string.CompareOrdinal(buffer, pos, word, 0, word.Length) == 0 ? OpenerStatus.Match : OpenerStatus.NoMatch;
        return string.CompareOrdinal(buffer, pos, word, 0, available) == 0 ? OpenerStatus.NeedMore : OpenerStatus.NoMatch;
    }

    /// <summary>
    /// Reads one JSON object/array at <paramref name="pos"/> (after whitespace) and the calls in it.
    /// </summary>
    protected static BlockResult ReadJsonCalls(string buffer, int pos, bool final)
    {
        var jsonStart = JsonValueScanner.SkipWhitespace(buffer, pos);
        var status = JsonValueScanner.FindEnd(buffer, jsonStart, out var end);
        if (status == ScanStatus.Incomplete) return final ? BlockResult.Invalid : BlockResult.Incomplete;
        if (status == ScanStatus.Invalid) return BlockResult.Invalid;
        if (ToolCallJsonReader.Parse(buffer[jsonStart..end]) is not { } element) return BlockResult.Invalid;
        return ToolCallJsonReader.ReadCalls(element) is { } calls ? new BlockResult(ScanStatus.Complete, end, calls) : BlockResult.Invalid;
    }
}
