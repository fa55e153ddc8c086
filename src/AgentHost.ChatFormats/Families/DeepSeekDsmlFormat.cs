using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// DeepSeek V3.2 and V4 (DSML markup): <c>&lt;｜DSML｜function_calls&gt;</c> (V4: <c>tool_calls</c>) around
/// <c>&lt;｜DSML｜invoke name="f"&gt;</c> elements with one
/// <c>&lt;｜DSML｜parameter name="k" string="true|false"&gt;v&lt;/｜DSML｜parameter&gt;</c> per argument; thinking in
/// <c>&lt;think&gt;</c>, also ended by the call block; a response format is a <c>```json</c> block.
/// </summary>
public sealed class DeepSeekDsmlFormat : ChatFormat
{
    private const string Dsml = "｜DSML｜";

    public override string Name => "deepseek-dsml";

    public override string? ToolCallOpener => "<" + Dsml + "function_calls>";

    public override bool Matches(string src) =>
        src.Contains("dsml_token", StringComparison.Ordinal) && src.Contains("DSML", StringComparison.Ordinal)
        && (src.Contains("function_calls", StringComparison.Ordinal) || src.Contains("tool_calls", StringComparison.Ordinal));

    protected override string? ThinkingStart(string src) => "<think>";

    // V4 names the block tool_calls, V3.2 function_calls.
    private static bool IsV4(string src) => !src.Contains("function_calls", StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var block = IsV4(src) ? "tool_calls" : "function_calls";
        var fcStart = "<" + Dsml + block + ">";
        var fcEnd = "</" + Dsml + block + ">";
        const string paramEnd = "</" + Dsml + "parameter>";
        var prefix = GenerationPrefix(p, inputs, "<think>");
        // V4 without thinking writes a bare </think> in the generation prompt.
        var reasoning = p.Seq(ThinkBlock(p, inputs, "<think>", "</think>", fcStart), inputs.ExtractReasoning ? p.Optional(p.Literal("</think>")) : p.Eps());
        if (inputs.ResponseSchema is { } schema && !inputs.HasTools)
        {
            var format = p.Seq("```json", p.Space(), p.ResponseFormat(schema), p.Space(), "```");
            var root = p.Seq(prefix, p.SpacedSeq(reasoning, format));
            return new ChatFormatPlan
            {
                Family = Name, Parser = root, Inputs = inputs, Grammar = PegGrammarWriter.Write(root, false),
                ThinkingStartTag = "<think>", ThinkingEndTags = ["</think>", fcStart], PreservedTokens = [Dsml, "<think>", "</think>"],
            };
        }
        PegNode ToolCalls()
        {
            var invoke = TaggedToolCalls.AnyCall(p, Allowed(inputs),
                name => p.Seq("<" + Dsml + "invoke name=\"", name, "\">"),
                (param, name) => p.Seq("<" + Dsml + "parameter name=\"", name, "\" string=\"",
                    SchemaTypes.Of(param.Schema).IsOnly(SchemaType.String) ? "true" : "false", "\">"),
                paramEnd, p.Literal("</" + Dsml + "invoke>"));
            var calls = inputs.ParallelToolCalls ? p.Seq(invoke, p.ZeroOrMore(p.Seq(p.Space(), invoke))) : invoke;
            var section = p.TriggerRule("tool-call", p.Seq(fcStart, p.Space(), calls, p.Space(), fcEnd, p.Space()));
            return inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(section) : section;
        }
        return Standard(p, inputs, prefix, reasoning, ToolCalls, [fcStart], "<think>", ["</think>", fcStart], [Dsml, "<think>", "</think>"]);
    }
}
