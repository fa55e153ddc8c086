using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// gpt-oss (OpenAI harmony): messages on channels. Thinking is the <c>analysis</c> channel, the answer the
/// <c>final</c> channel, and a call is a <c>commentary</c> message addressed <c>to=functions.NAME</c> with JSON
/// arguments (the recipient may sit in the role header or the channel header).
/// </summary>
public sealed class GptOssFormat : ChatFormat
{
    public override string Name => "gpt-oss";

    public override string? ToolCallOpener => " to=functions.";

    public override bool Matches(string src) => src.Contains("<|channel|>", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => "<|channel|>analysis<|message|>";

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var start = p.Rule("start", p.Literal("<|start|>assistant"));
        var end = p.Rule("end", p.Literal("<|end|>"));
        var content = p.Rule("message-content", p.Until("<|end|>"));
        var channel = p.Seq("<|channel|>", p.Choice("commentary", "analysis"));
        // The constraint type is "json" in practice; bounded in the grammar so a model cannot ramble in the header forever.
        var constrainType = p.GrammarOf(p.Chars("[A-Za-z0-9_-]", 1, -1), p.Chars("[A-Za-z0-9_-]", 1, 16));
        // gpt-oss-20b sometimes writes a stray commentary channel before the real one.
        var stray = p.Optional(p.Seq("<|channel|>commentary", p.Optional(p.Literal(" to=assistant"))));
        var startAnalysis = p.Seq(stray, "<|channel|>analysis<|message|>");
        var analysis = inputs.ExtractReasoning
            ? p.Rule("analysis", p.Seq(startAnalysis, p.Reasoning(content), end))
            : p.Rule("analysis", p.Content(p.Seq(startAnalysis, content, end)));
        var preamble = p.Rule("preamble", p.Seq("<|channel|>commentary<|message|>", p.Content(content), end));
        var final = p.Rule("final", p.Seq(stray, "<|channel|>final<|message|>", p.Content(content)));
        // Calls nobody asked for (built-in tools): consumed, not shown.
        var unsolicited = p.Rule("unsolicited", p.Atomic(p.Seq(p.Optional(channel), " to=", content, end)));
        var any = p.Rule("any", p.Choice(preamble, analysis));

        PegNode root;
        var hasTools = inputs.HasTools;
        if (inputs.ResponseSchema is { } schema && !hasTools)
        {
            var constraint = p.Optional(p.Seq(p.Space(), p.Optional(p.Literal("<|constrain|>")), constrainType));
            var format = p.Rule("response-format", p.Seq("<|channel|>final", constraint, "<|message|>", p.Content(p.Schema(p.Json(), "response-format-schema", schema))));
            root = p.Seq(p.ZeroOrMore(p.Seq(start, analysis)), start, format);
        }
        else if (hasTools)
        {
            var choices = new List<PegNode>();
            foreach (var tool in Allowed(inputs))
            {
                var name = p.Seq(" to=functions.", p.ToolName(p.Literal(tool.Name)));
                var constraint = p.Optional(p.Seq(p.Space(), p.Optional(p.Literal("<|constrain|>")), constrainType));
                var args = p.SchemaArgs(tool);
                var inRole = p.Tool(p.Seq(p.ToolOpen(p.Seq(name, channel, constraint, "<|message|>")), args));
                var inChannel = p.Tool(p.Seq(p.ToolOpen(p.Seq(channel, name, constraint, "<|message|>")), args));
                choices.Add(p.Rule("tool-" + tool.Name, p.Choice(inRole, inChannel)));
            }
            var call = p.TriggerRule("tool-call", p.Choice([.. choices]));
            PegNode last = inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Choice(call, final) : call;
            if (inputs.ResponseSchema is { } s2 && inputs.ToolChoice.Mode == ToolChoiceMode.Auto)
            {
                var constraint = p.Optional(p.Seq(p.Space(), p.Optional(p.Literal("<|constrain|>")), constrainType));
                last = p.Choice(call, p.Seq("<|channel|>final", constraint, "<|message|>", p.Content(p.Schema(p.Json(), "response-format-schema", s2))));
            }
            // Thinking off: the reply goes straight to the call or the answer, without an analysis message first. A
            // required call has no commentary preamble before it (llama.cpp allows one: free text a model can ramble
            // in until the length limit, leaving no call); thinking before it is bounded by the reasoning budget.
            var auto = inputs.ToolChoice.Mode == ToolChoiceMode.Auto;
            var before = (inputs.EnableThinking, auto) switch
            {
                (true, true) => p.ZeroOrMore(p.Seq(start, any)),
                (true, false) => p.ZeroOrMore(p.Seq(start, analysis)),
                (false, true) => p.ZeroOrMore(p.Seq(start, preamble)),
                (false, false) => p.Eps(),
            };
            root = p.Seq(before, start, last);
        }
        else
        {
            root = p.Seq(p.ZeroOrMore(p.Seq(start, any)), start, p.Choice(final, unsolicited));
        }

        var grammarWanted = inputs.ResponseSchema is not null || hasTools;
        var lazy = hasTools && inputs.ToolChoice.Mode == ToolChoiceMode.Auto && inputs.ResponseSchema is null;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = grammarWanted ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = grammarWanted && lazy,
            TriggerPatterns = grammarWanted && lazy
                ? ["^\\s+to$", "^<\\|channel\\|>(?:commentary|analysis)\\s+to=functions$", "<\\|start\\|>assistant(\\s+to)", "<\\|start\\|>assistant(<\\|channel\\|>(?:commentary|analysis)\\s+to)"]
                : [],
            ThinkingStartTag = "<|channel|>analysis<|message|>",
            ThinkingEndTags = ["<|end|>"],
            PreservedTokens = ["<|channel|>", "<|constrain|>", "<|message|>", "<|start|>", "<|end|>"],
        };
    }
}
