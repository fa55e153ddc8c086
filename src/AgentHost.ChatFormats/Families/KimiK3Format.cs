using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Kimi K3: <c>&lt;|open|&gt;X&lt;|sep|&gt; … &lt;|close|&gt;X&lt;|sep|&gt;</c> sections for think, response and
/// tools; a call is <c>&lt;|open|&gt;call tool="NAME" …&lt;|sep|&gt;</c> with one
/// <c>&lt;|open|&gt;argument key="K" type="T"&lt;|sep|&gt;VALUE&lt;|close|&gt;argument&lt;|sep|&gt;</c> per argument.
/// </summary>
public sealed class KimiK3Format : ChatFormat
{
    private const string Sep = "<|sep|>";
    private const string MsgStart = "<|open|>message role=\"assistant\"<|sep|>";
    private const string ThinkStart = "<|open|>think<|sep|>";
    private const string ThinkEnd = "<|close|>think<|sep|>";
    private const string RespStart = "<|open|>response<|sep|>";
    private const string RespEnd = "<|close|>response<|sep|>";
    private const string ToolsStart = "<|open|>tools<|sep|>";
    private const string ToolsEnd = "<|close|>tools<|sep|>";
    private const string CallStart = "<|open|>call tool=\"";
    private const string CallEnd = "<|close|>call<|sep|>";
    private const string ArgStart = "<|open|>argument key=\"";
    private const string ArgEnd = "<|close|>argument<|sep|>";
    private const string MsgEnd = "<|close|>message<|sep|>";
    private const string Eom = "<|end_of_msg|>";

    public override string Name => "kimi-k3";

    public override string? ToolCallOpener => ToolsStart;

    public override bool Matches(string src) =>
        src.Contains("<|open|>", StringComparison.Ordinal) && src.Contains("<|close|>", StringComparison.Ordinal)
        && src.Contains(Eom, StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => ThinkStart;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        // The generation prompt usually ends in the opened think section.
        var gen = inputs.GenerationPrompt;
        var k = gen.IndexOf(MsgStart, StringComparison.Ordinal);
        var prefix = p.Literal(k >= 0 ? gen[..k] : gen);
        var start = p.Optional(p.Literal(MsgStart));
        var thinkBody = p.UntilOneOf(ThinkEnd, RespStart);
        var reasoning = p.Optional(p.Seq(p.Optional(p.Literal(ThinkStart)),
            inputs.ExtractReasoning ? p.Reasoning(thinkBody) : p.Content(thinkBody), p.Optional(p.Literal(ThinkEnd))));
        var response = p.Seq(p.Optional(p.Literal(RespStart)), p.Content(p.UntilOneOf(RespEnd, ToolsStart, MsgEnd)), p.Optional(p.Literal(RespEnd)));
        var trailer = p.Seq(p.Optional(p.Literal(MsgEnd)), p.Optional(p.Literal(Eom)));
        PegNode root;
        var hasTools = inputs.HasTools;
        if (!hasTools)
        {
            root = p.Seq(prefix, start, reasoning, response, trailer);
        }
        else
        {
            var choices = new List<PegNode>();
            foreach (var tool in Allowed(inputs))
            {
                var args = new List<PegNode>();
                foreach (var param in ToolParameters.Of(tool))
                {
                    var ruleName = "kimi-k3-arg-" + tool.Name + "-" + param.Name;
                    var open = p.ToolArgOpen(p.Seq(ArgStart, p.ToolArgName(p.Literal(param.Name)), "\"", p.Until(Sep), Sep));
                    var value = p.TypedArgValue(ruleName, param.Schema, ArgEnd, p.ToolArgClose(p.Literal(ArgEnd)));
                    args.Add(p.Rule(ruleName, p.ToolArg(p.Seq(open, value))));
                }
                var argsNode = args.Count == 0 ? p.Eps() : p.ZeroOrMore(p.Choice([.. args]));
                var call = p.Tool(p.Seq(p.ToolOpen(p.Seq(CallStart, p.ToolName(p.Literal(tool.Name)), "\"", p.Until(Sep), Sep)),
                    p.ToolArgs(argsNode), p.ToolClose(p.Literal(CallEnd))));
                choices.Add(p.Rule("kimi-k3-tool-" + tool.Name, call));
            }
            var calls = inputs.ParallelToolCalls ? p.OneOrMore(p.Choice([.. choices])) : p.Choice([.. choices]);
            var section = p.TriggerRule("kimi-k3-tool-call", p.Seq(ToolsStart, calls, ToolsEnd, p.Optional(p.Literal(MsgEnd)), p.Optional(p.Literal(Eom))));
            var tools = inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(section) : section;
            root = p.Seq(prefix, start, reasoning, response, tools, trailer);
        }
        var lazy = hasTools && inputs.ToolChoice.Mode == ToolChoiceMode.Auto;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = hasTools ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = lazy,
            TriggerWords = lazy ? [ToolsStart] : [],
            ThinkingStartTag = ThinkStart,
            ThinkingEndTags = [ThinkEnd],
            PreservedTokens = ["<|open|>", "<|close|>", Sep, Eom],
        };
    }
}
