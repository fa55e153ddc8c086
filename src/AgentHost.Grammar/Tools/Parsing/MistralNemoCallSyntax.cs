namespace AgentHost.Grammar;

/// <summary><c>[TOOL_CALLS]</c> followed by a JSON array of calls (or a single call object).</summary>
internal sealed class MistralNemoCallSyntax : ToolCallSyntax
{
    public override OpenerStatus MatchOpener(string buffer, int pos, bool atBoundary, out int length)
    {
        length = MistralNemoToolCallFormat.Open.Length;
        return MatchWord(buffer, pos, MistralNemoToolCallFormat.Open);
    }

    public override BlockResult ReadBlock(string buffer, int start, int openerLength, bool final) =>
        ReadJsonCalls(buffer, start + openerLength, final);
}
