using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// GLM 4.5 / 4.6 / 4.7 and Spark 2.5 (what llama.cpp's autoparser derives for them):
/// <c>&lt;tool_call&gt;name&lt;arg_key&gt;k&lt;/arg_key&gt;&lt;arg_value&gt;v&lt;/arg_value&gt;&lt;/tool_call&gt;</c>,
/// with or without newlines between the parts, values typed by the schema; thinking in <c>&lt;think&gt;</c>.
/// </summary>
public sealed class GlmFormat : ChatFormat
{
    private const string Open = "<tool_call>";
    private const string Close = "</tool_call>";

    public override string Name => "glm";

    public override string? ToolCallOpener => Open;

    // Ling 3.0 writes the same arguments inside <role> sections and is detected before this.
    public override bool Matches(string src) =>
        src.Contains("<arg_key>", StringComparison.Ordinal) && src.Contains("<arg_value>", StringComparison.Ordinal)
        && src.Contains(Open, StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        // GLM 4.6 opens its reply with "\n<think>"; the others get <think> from the generation prompt.
        var reasoning = thinking is null ? p.Eps() : p.Seq(p.Space(), ThinkBlock(p, inputs, "<think>", "</think>"));
        PegNode ToolCalls()
        {
            var call = p.Rule("tool-call", TaggedToolCalls.AnyCall(p, Allowed(inputs),
                name => p.Seq(Open, name),
                (_, key) => p.Seq("<arg_key>", key, "</arg_key>", p.Space(), "<arg_value>"),
                "</arg_value>", p.Literal(Close)));
            return p.TriggerRule("tool-calls", p.Seq(Repeated(p, inputs, call, call), p.Space()));
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, ToolCalls, [Open],
            thinking, thinking is null ? [] : ["</think>"],
            ["<think>", "</think>", Open, Close, "<arg_key>", "</arg_key>", "<arg_value>", "</arg_value>"]);
    }
}
