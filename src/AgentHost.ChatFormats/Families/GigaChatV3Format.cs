using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// GigaChat 3: one call per reply, written as a new message,
/// <c>&lt;|message_sep|&gt;\n\nfunction call&lt;|role_sep|&gt;\n{"name": "f", "arguments": {...}}</c>
/// (llama.cpp's specialized gigachat-v3 parser; no parallel calls).
/// </summary>
public sealed class GigaChatV3Format : ChatFormat
{
    private const string Open = "<|message_sep|>\n\nfunction call<|role_sep|>\n";

    public override string Name => "gigachat-v3";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("<|role_sep|>", StringComparison.Ordinal) && src.Contains("<|message_sep|>", StringComparison.Ordinal)
        && !src.Contains("<|function_call|>", StringComparison.Ordinal);

    public override ChatFormatCapabilities Capabilities(string src) => base.Capabilities(src) with { ParallelToolCalls = false };

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls()
        {
            var call = p.Rule("tool-call", p.Seq(Open, p.JsonToolCalls(Allowed(inputs))));
            return p.TriggerRule("tool-call-root", p.Repeat(call, inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? 0 : 1, 1));
        }
        var plan = Standard(p, inputs, GenerationPrefix(p, inputs, null), p.Eps(), ToolCalls, [Open], null, [],
            ["<|message_sep|>\n\n", "<|role_sep|>\n"]);
        if (inputs.HasTools) return plan;
        // Without tools the whole reply is content; the message separator ends it.
        return plan with { Parser = p.Seq(GenerationPrefix(p, inputs, null), p.Content(p.Rest())) };
    }
}
