using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// The shape several families share: a call opener carrying the function name, then one tagged element per
/// argument (name in the opening tag, value up to a closing tag, typed by the parameter's schema), then a closer.
/// GLM (<c>&lt;arg_key&gt;</c>), MiniMax (<c>&lt;parameter name="…"&gt;</c>), Seed-OSS (<c>&lt;parameter=…&gt;</c>),
/// DeepSeek DSML, MiniCPM5 and Muse Glimmer differ only in the literals.
/// </summary>
internal static class TaggedToolCalls
{
    /// <summary>
    /// One call of any of <paramref name="tools"/>: <paramref name="open"/>(name), the arguments
    /// (<paramref name="argOpen"/>(argument name), value, <paramref name="argCloser"/>), <paramref name="callClose"/>.
    /// Required arguments are accepted in any order, optional ones after them; whitespace may separate the parts.
    /// <paramref name="valueOf"/> replaces the schema-typed value (and its closer) where a family writes values its own way.
    /// </summary>
    public static PegNode AnyCall(ChatPegBuilder p, IReadOnlyList<ToolDefinition> tools, Func<PegNode, PegNode> open,
        Func<ToolParameter, PegNode, PegNode> argOpen, string argCloser, PegNode callClose, string rulePrefix = "tool",
        Func<ToolParameter, string, PegNode>? valueOf = null)
    {
        var choices = new List<PegNode>();
        foreach (var tool in tools)
        {
            var required = new List<PegNode>();
            var optional = new List<PegNode>();
            foreach (var param in ToolParameters.Of(tool))
            {
                var ruleName = rulePrefix + "-" + tool.Name + "-arg-" + param.Name;
                var opener = p.ToolArgOpen(argOpen(param, p.ToolArgName(p.Literal(param.Name))));
                var value = valueOf?.Invoke(param, ruleName) ?? p.TypedArgValue(ruleName, param.Schema, argCloser, p.ToolArgClose(p.Literal(argCloser)));
                var arg = p.Rule(ruleName, p.Seq(p.Space(), p.ToolArg(p.Seq(opener, value))));
                (param.Required ? required : optional).Add(arg);
            }
            var args = p.Permute(rulePrefix + "-" + tool.Name + "-args", required);
            if (optional.Count > 0) args = p.Seq(args, p.ZeroOrMore(p.Choice([.. optional])));
            var call = p.Tool(p.Seq(
                p.ToolOpen(open(p.ToolName(p.Literal(tool.Name)))),
                p.ToolArgs(args),
                p.Space(),
                p.ToolClose(callClose)));
            choices.Add(p.Rule(rulePrefix + "-" + tool.Name, call));
        }
        return p.Choice([.. choices]);
    }
}
