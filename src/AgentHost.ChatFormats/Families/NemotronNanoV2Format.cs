using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// NVIDIA Nemotron Nano v2 (what llama.cpp's autoparser derives for it):
/// <c>&lt;TOOLCALL&gt;[{"name": "f", "arguments": {…}}, …]&lt;/TOOLCALL&gt;</c>; thinking in <c>&lt;think&gt;</c>, and thinking
/// that never closes is all reasoning.
/// </summary>
public sealed class NemotronNanoV2Format : ChatFormat
{
    private const string Open = "<TOOLCALL>";
    private const string Close = "</TOOLCALL>";

    public override string Name => "nemotron-nano-v2";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains(Open, StringComparison.Ordinal) && src.Contains("<SPECIAL_11>", StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var reasoning = inputs.ExtractReasoning
            ? p.Optional(p.Seq("<think>", p.Space(), p.Reasoning(p.Until("</think>")), p.Optional(p.Literal("</think>"))))
            : p.Eps();
        PegNode ToolCalls()
        {
            var call = p.Rule("tool-call", p.JsonToolCalls(Allowed(inputs)));
            var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), ",", p.Space(), call))) : call;
            var block = p.TriggerRule("tool-calls", p.Seq(Open, p.Space(), "[", p.Space(), calls, p.Space(), "]", p.Space(), Close, p.Space()));
            return inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(block) : block;
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, "<think>"), reasoning, ToolCalls, [Open],
            "<think>", ["</think>"], ["<SPECIAL_11>", "</think>", Open, Close]);
    }
}
