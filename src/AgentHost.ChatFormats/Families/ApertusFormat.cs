using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Swiss AI Apertus (what llama.cpp's autoparser derives for it):
/// <c>&lt;|tools_prefix|&gt;[{"f": {…}}, {"g": {…}}]&lt;|tools_suffix|&gt;</c>, the function name as the key.
/// </summary>
public sealed class ApertusFormat : ChatFormat
{
    private const string Open = "<|tools_prefix|>";
    private const string Close = "<|tools_suffix|>";
    private const string AssistantStart = "<|assistant_start|>";

    public override string Name => "apertus";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) => src.Contains(Open, StringComparison.Ordinal);

    // llama.cpp finds no reasoning markers it can use in this template.
    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls()
        {
            var call = p.Rule("tool-call", p.JsonToolCallsNameAsKey(Allowed(inputs)));
            var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), ",", p.Space(), call))) : call;
            var block = p.TriggerRule("tool-calls", p.Seq(Open, p.Space(), "[", p.Space(), calls, p.Space(), "]", p.Space(), Close, p.Space()));
            return inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(block) : block;
        }
        // A continued reply's text after the assistant marker is content.
        var gen = inputs.GenerationPrompt;
        var k = gen.LastIndexOf(AssistantStart, StringComparison.Ordinal);
        var prefix = p.Literal(k >= 0 ? gen[..(k + AssistantStart.Length)] : gen);
        return Standard(p, inputs, prefix, p.Eps(), ToolCalls, [Open], null, [], [Open, Close]);
    }
}
