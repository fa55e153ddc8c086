namespace AgentHost.Grammar;

/// <summary><c>&lt;tool_call&gt; {call} &lt;/tool_call&gt;</c>; a missing closer at the end of the reply is tolerated.</summary>
internal sealed class HermesCallSyntax : ToolCallSyntax
{
    public override OpenerStatus MatchOpener(string buffer, int pos, bool atBoundary, out int length)
    {
        length = HermesToolCallFormat.Open.Length;
        return MatchWord(buffer, pos, HermesToolCallFormat.Open);
    }

    public override BlockResult ReadBlock(string buffer, int start, int openerLength, bool final)
    {
        var json = ReadJsonCalls(buffer, start + openerLength, final);
        if (json.Status != ScanStatus.Complete) return json;
        if (json.Calls!.Count != 1) return BlockResult.Invalid;
        var after = JsonValueScanner.SkipWhitespace(buffer, json.End);
        switch (MatchWord(buffer, after, HermesToolCallFormat.Close))
        {
            case OpenerStatus.Match:
                return json with { End = after + HermesToolCallFormat.Close.Length };
            case OpenerStatus.NeedMore when !final:
                return BlockResult.Incomplete;
            default:
                // No closer: the call ends with its JSON (e.g. the model stopped right after it).
                return json;
        }
    }
}
