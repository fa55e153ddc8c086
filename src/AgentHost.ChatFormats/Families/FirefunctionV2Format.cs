using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Fireworks Firefunction v2: <c>functools[{"name": "f", "arguments": {...}}, ...]</c> after any text.
/// llama.cpp derives this with its automatic parser.
/// </summary>
public sealed class FirefunctionV2Format : ChatFormat
{
    private const string Open = "functools";

    public override string Name => "firefunction-v2";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) => src.Contains(" functools[", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls()
        {
            var call = p.JsonToolCalls(Allowed(inputs));
            var list = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), ",", p.Space(), call))) : call;
            var section = p.Seq(Open, p.Space(), "[", p.Space(), list, p.Space(), "]");
            return p.TriggerRule("tool-call", inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(section) : section);
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, null), p.Eps(), ToolCalls, [Open], null, [], [Open], responseFormat: FencedResponseFormat(p, inputs));
    }
}
