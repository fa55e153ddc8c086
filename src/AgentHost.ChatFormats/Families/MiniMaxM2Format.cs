using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// MiniMax M2 (what llama.cpp's autoparser derives for it):
/// <c>&lt;minimax:tool_call&gt;\n&lt;invoke name="f"&gt;\n&lt;parameter name="k"&gt;v&lt;/parameter&gt;\n&lt;/invoke&gt;\n&lt;/minimax:tool_call&gt;</c>,
/// several invokes in one block; thinking in <c>&lt;think&gt;</c>.
/// </summary>
public sealed class MiniMaxM2Format : ChatFormat
{
    private const string Open = "<minimax:tool_call>";
    private const string Close = "</minimax:tool_call>";

    public override string Name => "minimax-m2";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) => src.Contains(Open, StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        var reasoning = thinking is null ? p.Eps() : ThinkBlock(p, inputs, "<think>", "</think>");
        PegNode ToolCalls()
        {
            var invoke = p.Rule("invoke", TaggedToolCalls.AnyCall(p, Allowed(inputs),
                name => p.Seq("<invoke name=\"", name, "\">"),
                (_, name) => p.Seq("<parameter name=\"", name, "\">"),
                "</parameter>", p.Literal("</invoke>")));
            var calls = inputs.ParallelToolCalls ? p.Seq(invoke, p.ZeroOrMore(p.Seq(p.Space(), invoke))) : invoke;
            var block = p.TriggerRule("tool-calls", p.Seq(Open, p.Space(), calls, p.Space(), Close, p.Space()));
            return inputs.ToolChoice.Mode == AgentHost.Grammar.ToolChoiceMode.Auto ? p.Optional(block) : block;
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, ToolCalls, [Open],
            thinking, thinking is null ? [] : ["</think>"],
            ["<think>", "</think>", Open, Close, "<invoke name=\"", "</invoke>", "<parameter name=\"", "</parameter>"]);
    }
}
