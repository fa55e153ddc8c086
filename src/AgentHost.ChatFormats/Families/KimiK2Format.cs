using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Kimi K2 / K2 Instruct / K2 Thinking: <c>&lt;|tool_calls_section_begin|&gt;&lt;|tool_call_begin|&gt;functions.NAME:IDX
/// &lt;|tool_call_argument_begin|&gt;{json}&lt;|tool_call_end|&gt;…&lt;|tool_calls_section_end|&gt;</c>; the call id is
/// <c>functions.NAME:IDX</c>. Thinking in <c>&lt;think&gt;</c>, also ended by a call section.
/// </summary>
public sealed class KimiK2Format : ChatFormat
{
    private const string SectionBegin = "<|tool_calls_section_begin|>";
    private const string SectionEnd = "<|tool_calls_section_end|>";
    private const string CallBegin = "<|tool_call_begin|>";
    private const string ArgsBegin = "<|tool_call_argument_begin|>";
    private const string CallEnd = "<|tool_call_end|>";

    public override string Name => "kimi-k2";

    public override string? ToolCallOpener => CallBegin;

    public override bool Matches(string src) =>
        src.Contains(SectionBegin, StringComparison.Ordinal) && src.Contains(CallBegin, StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => "<think>";

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var reasoning = inputs.ExtractReasoning
            ? p.Optional(p.Seq("<think>", p.Reasoning(p.UntilOneOf("</think>", SectionBegin, CallBegin)), p.Optional(p.Literal("</think>"))))
            : p.Eps();
        PegNode ToolCalls()
        {
            var choices = new List<PegNode>();
            foreach (var tool in Allowed(inputs))
            {
                var id = p.ToolId(p.Seq("functions.", p.ToolName(p.Literal(tool.Name)), ":", p.Chars("[0-9]", 1, -1)));
                choices.Add(p.Rule("tool-" + tool.Name, p.Tool(p.Seq(p.ToolOpen(p.Seq(id, ArgsBegin)), p.SchemaArgs(tool),
                    p.ToolClose(p.Optional(p.Literal(CallEnd)))))));
            }
            var call = p.Seq(CallBegin, p.Choice([.. choices]));
            var max = inputs.ParallelToolCalls ? -1 : 1;
            var min = inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? 0 : 1;
            return p.Seq(p.Optional(p.Literal(SectionBegin)),
                p.TriggerRule("tool-call", p.Seq(p.Repeat(call, min, max), p.Optional(p.Literal(SectionEnd)), p.Space())));
        }
        var plan = Standard(p, inputs, GenerationPrefix(p, inputs, "<think>"), reasoning, ToolCalls, [SectionBegin, CallBegin],
            "<think>", ["</think>"], [SectionBegin, SectionEnd, CallBegin, ArgsBegin, CallEnd, "<think>", "</think>"]);
        // The grammar starts at the call opener; the section opener before it is free text to the sampler.
        return plan.GrammarLazy ? plan with { TriggerWords = [CallBegin] } : plan;
    }
}
