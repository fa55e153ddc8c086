using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// ByteDance Seed-OSS (what llama.cpp's autoparser derives for it):
/// <c>&lt;seed:tool_call&gt;\n&lt;function=f&gt;\n&lt;parameter=k&gt;v&lt;/parameter&gt;\n&lt;/function&gt;\n&lt;/seed:tool_call&gt;</c>,
/// thinking in <c>&lt;seed:think&gt;</c>. The template prints history arguments Python-style (<c>True</c>,
/// <c>['a', 'b']</c>); such values are read as JSON typed by the schema, where llama.cpp fails to parse the reply.
/// </summary>
public sealed class SeedOssFormat : ChatFormat
{
    private const string Open = "<seed:tool_call>";
    private const string Close = "</seed:tool_call>";

    public override string Name => "seed-oss";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) => src.Contains(Open, StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) =>
        src.Contains("<seed:think>", StringComparison.Ordinal) ? "<seed:think>" : null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        var reasoning = thinking is null ? p.Eps() : ThinkBlock(p, inputs, "<seed:think>", "</seed:think>");
        PegNode ToolCalls()
        {
            var func = TaggedToolCalls.AnyCall(p, Allowed(inputs),
                name => p.Seq("<function=", name, ">"),
                (_, name) => p.Seq("<parameter=", name, ">"),
                "</parameter>", p.Literal("</function>"));
            var call = p.Rule("tool-call", p.Seq(Open, p.Space(), func, p.Space(), Close));
            return p.TriggerRule("tool-calls", p.Seq(Repeated(p, inputs, call, call), p.Space()));
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, ToolCalls, [Open],
            thinking, thinking is null ? [] : ["</seed:think>"],
            ["<seed:think>", "</seed:think>", Open, Close, "<function=", "</function>", "<parameter=", "</parameter>"]);
    }
}
