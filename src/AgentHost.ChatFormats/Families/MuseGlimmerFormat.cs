using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Muse Glimmer: messages <c>&lt;|start|&gt;assistant to=RECIPIENT&lt;|message|&gt;…&lt;|eom|&gt;</c> (or <c>&lt;|eot|&gt;</c> at the
/// end of the turn). <c>to=self</c> is thinking, <c>to=user</c> (or no recipient) the answer, and any other recipient a
/// call whose body is <c>&lt;atem:function_calls&gt;&lt;atem:invoke name="f"&gt;&lt;atem:parameter name="k"&gt;v&lt;/atem:parameter&gt;…</c>.
/// </summary>
public sealed class MuseGlimmerFormat : ChatFormat
{
    private const string Start = "<|start|>assistant";
    private const string ParamEnd = "</atem:parameter>";

    public override string Name => "muse-glimmer";

    public override string? ToolCallOpener => "<atem:function_calls>";

    public override bool Matches(string src) =>
        src.Contains("<atem:function_calls>", StringComparison.Ordinal) && src.Contains("<|eom|>", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => " to=self<|message|>";

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var gen = inputs.GenerationPrompt;
        var k = gen.LastIndexOf(Start, StringComparison.Ordinal);
        var prefix = p.Literal(k >= 0 ? gen[..k] : "");
        var start = p.Rule("start", p.Literal(Start));
        var thought = p.Until("<|eom|>");
        var analysis = p.Rule("analysis", p.Seq(" to=self<|message|>", inputs.ExtractReasoning ? p.Reasoning(thought) : p.Content(thought), "<|eom|>"));
        var final = p.Rule("final", p.Seq(p.Optional(p.Literal(" to=user")), "<|message|>", p.Content(p.UntilOneOf("<|eot|>", "<|eom|>"))));
        var end = p.Optional(p.Choice("<|eot|>", "<|eom|>"));
        var hasTools = inputs.HasTools;
        PegNode root;
        if (!hasTools)
        {
            root = p.Seq(prefix, p.ZeroOrMore(p.Seq(start, analysis)), start, final, end);
        }
        else
        {
            var call = TaggedToolCalls.AnyCall(p, Allowed(inputs),
                name => p.Seq(" to=", p.Until("<|message|>"), "<|message|><atem:function_calls>", p.Space(), "<atem:invoke name=\"", name, "\">"),
                (_, name) => p.Seq("<atem:parameter name=\"", name, "\">"),
                ParamEnd, p.Seq("</atem:invoke>", p.Space(), "</atem:function_calls>"));
            var calls = p.TriggerRule("tool-call", inputs.ParallelToolCalls
                ? p.Seq(call, p.ZeroOrMore(p.Seq("<|eom|>", start, call)))
                : call);
            var body = inputs.ToolChoice.Mode == ToolChoiceMode.Auto
                ? p.Choice(calls, p.Seq(final, p.Optional(p.Seq("<|eom|>", start, calls))))
                : calls;
            root = p.Seq(prefix, p.ZeroOrMore(p.Seq(start, analysis)), start, body, end);
        }
        var lazy = hasTools && inputs.ToolChoice.Mode == ToolChoiceMode.Auto;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = hasTools ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = lazy,
            TriggerPatterns = lazy ? ["(?:^|<\\|start\\|>assistant)( to=(?!self<\\|message\\|>)(?!user<\\|message\\|>)[^<]*?<\\|message\\|>)"] : [],
            ThinkingStartTag = " to=self<|message|>",
            ThinkingEndTags = ["<|eom|>"],
            PreservedTokens = ["<|start|>", "<|message|>", "<|eom|>", "<|eot|>", "<atem:function_calls>", "<atem:invoke", "<atem:parameter", ParamEnd, "</atem:invoke>", "</atem:function_calls>"],
        };
    }
}
