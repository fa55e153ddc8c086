using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Reka Edge (what llama.cpp's autoparser derives for it): Hermes-style
/// <c>&lt;tool_call&gt;\n{"name": "f", "arguments": {…}}&lt;/tool_call&gt;</c> after <c>human: … &lt;sep&gt;assistant:</c> turns;
/// thinking in <c>&lt;think&gt;</c> ends only at <c>&lt;/think&gt;</c> (a call written inside it is thinking).
/// </summary>
public sealed class RekaFormat : ChatFormat
{
    private const string Open = "<tool_call>";
    private const string Close = "</tool_call>";

    public override string Name => "reka";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("<REKA_IMG_TOKEN>", StringComparison.Ordinal) && src.Contains(Open, StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        var reasoning = thinking is null ? p.Eps() : ThinkBlock(p, inputs, "<think>", "</think>");
        PegNode ToolCalls()
        {
            var call = p.Rule("tool-call", p.Seq(Open, p.Space(), p.JsonToolCalls(Allowed(inputs)), p.Space(), Close));
            return p.TriggerRule("tool-calls", p.Seq(Repeated(p, inputs, call, call), p.Space()));
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, ToolCalls, [Open],
            thinking, thinking is null ? [] : ["</think>"], ["<think>", "</think>", Open, Close]);
    }
}
