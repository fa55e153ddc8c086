namespace AgentHost.Grammar;

/// <summary>
/// Mistral Nemo: <c>[TOOL_CALLS][{"name": "f", "arguments": {...}, "id": "abc123XYZ"}, ...]</c> with 9-character
/// alphanumeric ids (the template rejects other ids). Lazy trigger: the word <c>[TOOL_CALLS]</c>.
/// </summary>
internal sealed class MistralNemoToolCallFormat : ToolCallFormat
{
    internal const string Open = "[TOOL_CALLS]";

    public override ToolCallFormatKind Kind => ToolCallFormatKind.MistralNemo;

    private protected override IReadOnlyList<string> TriggerWords { get; } = [Open];

    private protected override string BuildRoot(ToolCallGrammarContext context, IReadOnlyList<ToolDefinition> tools, bool parallel, bool allowPlainReply)
    {
        var space = context.Space;
        var call = context.AnyCall(tools, "arguments", withMistralId: true);
        var calls = parallel ? $"{call} ( \",\" {space} {call} )*" : call;
        return $"{GbnfText.Literal(Open)} {context.FrameSpace} \"[\" {space} {calls} {space} \"]\"";
    }

    internal override IToolCallDecoder CreateDecoder(Func<string> idFactory) => new MarkerToolCallDecoder(new MistralNemoCallSyntax(), idFactory);
}
