using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Hermes 2 Pro / Hermes 3 / Qwen 2.5 / Qwen 3 / QwQ and the many templates that copied them:
/// <c>&lt;tool_call&gt;\n{"name": "f", "arguments": {...}}\n&lt;/tool_call&gt;</c>, thinking in <c>&lt;think&gt;</c>.
/// </summary>
public sealed class HermesFormat : ChatFormat
{
    private const string Open = "<tool_call>";
    private const string Close = "</tool_call>";

    public override string Name => "hermes";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains(Open, StringComparison.Ordinal) && !src.Contains("<function=", StringComparison.Ordinal)
        && !src.Contains("<arg_key>", StringComparison.Ordinal) && !src.Contains("<invoke name=", StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        var reasoning = thinking is null ? p.Eps() : ThinkBlock(p, inputs, "<think>", "</think>", Open);
        PegNode ToolCalls()
        {
            var call = p.Rule("tool-call", p.Seq(Open, p.Space(), p.JsonToolCalls(Allowed(inputs)), p.Space(), Close));
            return p.TriggerRule("tool-calls", Repeated(p, inputs, call, call));
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, ToolCalls, [Open],
            thinking, thinking is null ? [] : ["</think>"], [Open, Close]);
    }
}
