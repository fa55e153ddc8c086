using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// MeetKai Functionary v3.1 (Llama 3.1 based): <c>&lt;function=f&gt;{...}&lt;/function&gt;</c>, one after another
/// for parallel calls, text before them is content. llama.cpp derives this with its automatic parser.
/// </summary>
public sealed class FunctionaryV31Format : ChatFormat
{
    private const string Open = "<function=";

    public override string Name => "functionary-v3.1";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("<|start_header_id|>", StringComparison.Ordinal) && src.Contains(Open, StringComparison.Ordinal)
        && src.Contains("</function>", StringComparison.Ordinal) && !src.Contains("<tool_call>", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls()
        {
            var choices = Allowed(inputs).Select(t => (PegNode)p.Rule("tool-" + t.Name, p.Tool(p.Seq(
                p.ToolOpen(p.Seq(Open, p.ToolName(p.Literal(t.Name)), ">")), p.Space(), p.SchemaArgs(t), p.ToolClose(p.Literal("</function>")))))).ToArray();
            var call = p.Choice(choices);
            var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), call))) : call;
            return p.TriggerRule("tool-call", inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(calls) : calls);
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, null), p.Eps(), ToolCalls, [Open], null, [],
            ["<|eot_id|>", "<|eom_id|>", Open, ">", "</function>"], responseFormat: FencedResponseFormat(p, inputs));
    }
}
