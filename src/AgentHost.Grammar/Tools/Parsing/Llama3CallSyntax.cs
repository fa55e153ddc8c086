namespace AgentHost.Grammar;

/// <summary>
/// <c>&lt;|python_tag|&gt;</c> followed by a call object anywhere, or a call object <c>{"name": ...</c> at the start of
/// the reply (or right after another call).
/// </summary>
internal sealed class Llama3CallSyntax : ToolCallSyntax
{
    private static readonly string[] JsonOpener = ["{", "\"name\"", ":"];

    public override OpenerStatus MatchOpener(string buffer, int pos, bool atBoundary, out int length)
    {
        length = Llama3JsonToolCallFormat.PythonTag.Length;
        var tag = MatchWord(buffer, pos, Llama3JsonToolCallFormat.PythonTag);
        if (tag != OpenerStatus.NoMatch || !atBoundary || buffer[pos] != '{') return tag;
        length = 0; // the JSON itself is the block
        return MatchTokens(buffer, pos);
    }

    public override BlockResult ReadBlock(string buffer, int start, int openerLength, bool final)
    {
        var result = ReadJsonCalls(buffer, start + openerLength, final);
        return result.Status == ScanStatus.Complete && result.Calls!.Count != 1 ? BlockResult.Invalid : result;
    }

    /// <summary>Matches <c>{ "name" :</c> with any JSON whitespace between the tokens.</summary>
    private static OpenerStatus MatchTokens(string buffer, int pos)
    {
        foreach (var token in JsonOpener)
        {
            pos = JsonValueScanner.SkipWhitespace(buffer, pos);
            var status = MatchWord(buffer, pos, token);
            if (status != OpenerStatus.Match) return pos >= buffer.Length ? OpenerStatus.NeedMore : status;
            pos += token.Length;
        }
        return OpenerStatus.Match;
    }
}
