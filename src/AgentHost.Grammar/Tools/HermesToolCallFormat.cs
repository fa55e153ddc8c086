namespace AgentHost.Grammar;

/// <summary>
/// Hermes 2 Pro / Qwen 2.5 / Qwen 3: each call is <c>&lt;tool_call&gt;\n{"name": "f", "arguments": {...}}\n&lt;/tool_call&gt;</c>;
/// several calls follow one another. Lazy trigger: the word <c>&lt;tool_call&gt;</c>.
/// </summary>
internal sealed class HermesToolCallFormat : ToolCallFormat
{
    internal const string Open = "<tool_call>";
    internal const string Close = "</tool_call>";

    public override ToolCallFormatKind Kind => ToolCallFormatKind.Hermes;

    private protected override IReadOnlyList<string> TriggerWords { get; } = [Open];

    private protected override string BuildRoot(ToolCallGrammarContext context, IReadOnlyList<ToolDefinition> tools, bool parallel, bool allowPlainReply)
    {
        var frame = context.FrameSpace;
        var call = context.AnyCall(tools, "arguments");
        var block = context.Rules.Add("tool-call-block", $"{GbnfText.Literal(Open)} {frame} {call} {frame} {GbnfText.Literal(Close)}");
        return parallel ? $"{block} ( {frame} {block} )*" : block;
    }

    internal override IToolCallDecoder CreateDecoder(Func<string> idFactory) => new MarkerToolCallDecoder(new HermesCallSyntax(), idFactory);
}
