using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Mistral Small 3.2 (and templates with call ids): <c>[TOOL_CALLS]name[CALL_ID]123456789[ARGS]{...}</c>, the id
/// optional, repeated for parallel calls. No thinking. llama.cpp derives this with its automatic parser.
/// </summary>
public sealed class MistralSmall32Format : ChatFormat
{
    private const string Open = "[TOOL_CALLS]";

    public override string Name => "mistral-small-3.2";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains(Open, StringComparison.Ordinal) && src.Contains("[ARGS]", StringComparison.Ordinal)
        && src.Contains("[CALL_ID]", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls()
        {
            var choices = Allowed(inputs).Select(t => (PegNode)p.Rule("tool-" + t.Name, p.Tool(p.Seq(
                p.ToolOpen(p.Seq(p.ToolName(p.Literal(t.Name)),
                    p.Optional(p.Seq("[CALL_ID]", p.ToolId(p.Until("[ARGS]")))), "[ARGS]")),
                p.Space(), p.SchemaArgs(t))))).ToArray();
            var call = p.Seq(Open, p.Choice(choices));
            var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), call))) : call;
            return p.TriggerRule("tool-call", inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(calls) : calls);
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, null), p.Eps(), ToolCalls, [Open], null, [], [Open, "[CALL_ID]", "[ARGS]"], responseFormat: FencedResponseFormat(p, inputs));
    }
}
