using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Qwen3-Coder, Qwen3.5, Nemotron 3 Nano, StepFun 3.5: XML parameters,
/// <c>&lt;tool_call&gt;\n&lt;function=f&gt;\n&lt;parameter=p&gt;\nvalue\n&lt;/parameter&gt;\n&lt;/function&gt;\n&lt;/tool_call&gt;</c>.
/// Values are typed by the parameter's schema; Python-style values (<c>True</c>, <c>['a', 'b']</c>) that these
/// templates print in history are read as JSON.
/// </summary>
public sealed class Qwen3CoderFormat : ChatFormat
{
    private const string CallOpen = "<tool_call>";
    private const string ArgCloser = "\n</parameter>\n";

    public override string Name => "qwen3-coder";

    public override string? ToolCallOpener => CallOpen;

    public override bool Matches(string src) =>
        src.Contains("<tool_call>", StringComparison.Ordinal) && src.Contains("<function=", StringComparison.Ordinal)
        && src.Contains("<parameter=", StringComparison.Ordinal)
        && !src.Contains("'<tool_call><function=' ~ tool_call.name ~ '>'", StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        // Qwen3-Coder itself does not think, and sometimes leaves out <tool_call>.
        var isCoder = thinking is null;
        var starts = new List<string> { CallOpen };
        if (isCoder) starts.AddRange(Allowed(inputs).Select(t => "<function=" + t.Name + ">"));

        var reasoning = thinking is null ? p.Eps() : ThinkBlock(p, inputs, "<think>", "</think>", CallOpen);
        PegNode ToolCalls()
        {
            var argClose = p.ToolArgClose(p.Literal(ArgCloser));
            var choices = new List<PegNode>();
            foreach (var tool in Allowed(inputs))
            {
                var required = new List<PegNode>();
                var optional = new List<PegNode>();
                foreach (var param in ToolParameters.Of(tool))
                {
                    var ruleName = "tool-" + tool.Name + "-arg-" + param.Name;
                    var open = p.ToolArgOpen(p.Seq("<parameter=", p.ToolArgName(p.Literal(param.Name)), ">\n"));
                    var value = p.TypedArgValue(ruleName, param.Schema, ArgCloser, argClose);
                    var arg = p.Rule(ruleName, p.ToolArg(p.Seq(open, value)));
                    (param.Required ? required : optional).Add(arg);
                }
                // Qwen does not always keep the declared order of required arguments.
                var args = p.Permute("tool-" + tool.Name + "-args", required);
                if (optional.Count > 0) args = p.Seq(args, p.ZeroOrMore(p.Choice([.. optional])));
                var func = p.Tool(p.Seq(
                    p.ToolOpen(p.Seq("<function=", p.ToolName(p.Literal(tool.Name)), ">\n")),
                    p.ToolArgs(args),
                    p.ToolClose(p.Literal("</function>\n"))));
                choices.Add(p.Rule("tool-" + tool.Name, func));
            }
            var body = p.Seq(p.Choice([.. choices]), "</tool_call>", p.Space());
            var call = p.Rule("tool-call", p.Seq("<tool_call>\n", body));
            var first = isCoder ? p.Rule("tool-call-first", p.Seq(p.Optional(p.Literal("<tool_call>\n")), body)) : call;
            var calls = inputs.ParallelToolCalls && inputs.ToolChoice.Mode != ToolChoiceMode.Function ? p.Seq(first, p.ZeroOrMore(call)) : first;
            return p.TriggerRule("tool-call-root", p.Repeat(calls, inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? 0 : 1, 1));
        }

        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, ToolCalls, starts,
            thinking, thinking is null ? [] : ["\n</think>", "</think>", CallOpen], ["<tool_call>", "</tool_call>", "<think>", "</think>"]);
    }
}
