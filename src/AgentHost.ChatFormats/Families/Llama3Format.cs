using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Llama 3.1 / 3.2 / 3.3: a bare JSON object <c>{"name": "f", "parameters": {...}}</c> (optionally after
/// <c>&lt;|python_tag|&gt;</c>), text before it is content. There is no opener to trigger on, so in auto mode generation
/// is unconstrained, as in llama.cpp (whose automatic parser derives this shape); required mode gets the full grammar.
/// </summary>
public sealed class Llama3Format : ChatFormat
{
    private const string PythonTag = "<|python_tag|>";

    public override string Name => "llama-3";

    public override string? ToolCallOpener => "{\"name\": ";

    public override bool Matches(string src) =>
        src.Contains("<|start_header_id|>", StringComparison.Ordinal)
        && src.Contains("\"parameters\": dictionary of argument name", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls()
        {
            var call = p.JsonToolCalls(Allowed(inputs), argsKey: "parameters");
            var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), ",", p.Space(), call))) : call;
            var section = p.Seq(p.Optional(p.Seq(PythonTag, p.Space())), calls);
            return p.TriggerRule("tool-call", inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(section) : section);
        }
        var plan = Standard(p, inputs, GenerationPrefix(p, inputs, null), p.Eps(), ToolCalls, ["{", PythonTag], null, [], [PythonTag], responseFormat: FencedResponseFormat(p, inputs));
        // Nothing marks the start of a call: llama.cpp leaves auto mode unconstrained rather than trigger on "{".
        return plan.GrammarLazy ? plan with { Grammar = null, GrammarLazy = false, TriggerWords = [] } : plan;
    }
}
