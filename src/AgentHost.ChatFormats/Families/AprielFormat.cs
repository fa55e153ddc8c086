using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// ServiceNow Apriel 1.5 / 1.6: calls as <c>&lt;tool_calls&gt;[{"name": "f", "arguments": {...}}]&lt;/tool_calls&gt;</c>;
/// Apriel 1.6 thinks from the assistant header (the generation prompt starts the reasoning with "Here are my reasoning
/// steps:") to <c>[BEGIN FINAL RESPONSE]</c>. llama.cpp derives this with its automatic parser.
/// </summary>
public sealed class AprielFormat : ChatFormat
{
    private const string Open = "<tool_calls>";
    private const string ThinkStart = "<|begin_assistant|>";
    private const string ThinkEnd = "[BEGIN FINAL RESPONSE]";

    public override string Name => "apriel";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("<tool_calls>[", StringComparison.Ordinal) && src.Contains("</tool_calls>", StringComparison.Ordinal)
        && (src.Contains("<|assistant|>", StringComparison.Ordinal) || src.Contains(ThinkStart, StringComparison.Ordinal));

    protected override string? ThinkingStart(string src) =>
        src.Contains(ThinkStart, StringComparison.Ordinal) && src.Contains(ThinkEnd, StringComparison.Ordinal) ? ThinkStart : null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        var reasoning = thinking is null || !inputs.ExtractReasoning
            ? p.Eps()
            : p.Optional(p.Seq(ThinkStart, p.Space(), p.Reasoning(p.Until(ThinkEnd)), ThinkEnd));
        PegNode ToolCalls() => JsonToolSection.Build(p, inputs, Open, "</tool_calls>", arrayWrapped: true);
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, ToolCalls, [Open], thinking,
            thinking is null ? [] : [ThinkEnd], [Open, "</tool_calls>"], responseFormat: FencedResponseFormat(p, inputs));
    }
}
