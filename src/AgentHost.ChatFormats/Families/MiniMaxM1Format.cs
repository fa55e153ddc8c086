using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// MiniMax M1 (what llama.cpp's autoparser derives for it): <c>&lt;tool_calls&gt;\n{"name": …, "arguments": {…}}\n…&lt;/tool_calls&gt;</c>,
/// one JSON call per line in one block.
/// </summary>
public sealed class MiniMaxM1Format : ChatFormat
{
    private const string Open = "<tool_calls>";
    private const string Close = "</tool_calls>";

    public override string Name => "minimax-m1";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("<beginning_of_sentence>", StringComparison.Ordinal) && src.Contains(Open, StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        var reasoning = thinking is null ? p.Eps() : ThinkBlock(p, inputs, "<think>", "</think>");
        PegNode ToolCalls()
        {
            var call = p.Rule("tool-call", p.JsonToolCalls(Allowed(inputs)));
            var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), call))) : call;
            var block = p.TriggerRule("tool-calls", p.Seq(Open, p.Space(), calls, p.Space(), Close, p.Space()));
            return inputs.ToolChoice.Mode == AgentHost.Grammar.ToolChoiceMode.Auto ? p.Optional(block) : block;
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, ToolCalls, [Open],
            thinking, thinking is null ? [] : ["</think>"], [Open, Close]);
    }
}
