using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// openbmb MiniCPM5: <c>&lt;function name="f"&gt;&lt;param name="k"&gt;v&lt;/param&gt;&lt;/function&gt;</c>, string values
/// raw or in <c>&lt;![CDATA[…]]&gt;</c>; thinking in <c>&lt;think&gt;</c>. Other values are JSON, or Python-style as the
/// template prints history arguments (<c>True</c>, <c>['a', 'b']</c>; llama.cpp fails to parse those), typed by the schema.
/// </summary>
public sealed class MiniCpm5Format : ChatFormat
{
    private const string ParamEnd = "</param>";

    public override string Name => "minicpm5";

    public override string? ToolCallOpener => "<function";

    public override bool Matches(string src) =>
        src.Contains("Tool usage guidelines:", StringComparison.Ordinal) && src.Contains("<function name=\"", StringComparison.Ordinal)
        && src.Contains("<param name=\"", StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var reasoning = ThinkBlock(p, inputs, "<think>", "</think>");
        PegNode Value(ToolParameter param, string ruleName)
        {
            var close = p.ToolArgClose(p.Literal(ParamEnd));
            var typed = p.TypedArgValue(ruleName, param.Schema, ParamEnd, close);
            if (!SchemaTypes.MayBeString(param.Schema)) return typed;
            var cdata = p.Seq("<![CDATA[", p.UntilIncluding(p.Seq(p.ToolArgStringValue(p.Until("]]>")), "]]>"), "]]>"), close);
            return p.Choice(cdata, p.Seq(p.Not(p.Literal("<![CDATA[")), typed));
        }
        PegNode ToolCalls()
        {
            var call = p.Rule("tool-call", TaggedToolCalls.AnyCall(p, Allowed(inputs),
                name => p.Seq("<function name=\"", name, "\">"),
                (_, name) => p.Seq("<param name=\"", name, "\">"),
                ParamEnd, p.Literal("</function>"), valueOf: Value));
            return p.TriggerRule("tool-calls", p.Seq(Repeated(p, inputs, call, call), p.Space()));
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, "<think>"), reasoning, ToolCalls, ["<function"],
            "<think>", ["</think>"], ["<function", "<param", "</function>", ParamEnd, "<think>", "</think>"]);
    }
}
