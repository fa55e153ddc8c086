using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// GigaChat 3.1: <c>&lt;|function_call|&gt;{"name": "f", "arguments": {...}}</c> after any text, one call.
/// llama.cpp derives this with its automatic parser.
/// </summary>
public sealed class GigaChatV31Format : ChatFormat
{
    private const string Open = "<|function_call|>";

    public override string Name => "gigachat-v3.1";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("<|role_sep|>", StringComparison.Ordinal) && src.Contains("<|message_sep|>", StringComparison.Ordinal)
        && src.Contains(Open, StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls() => JsonToolSection.Build(p, inputs, Open, "", arrayWrapped: false);
        return Standard(p, inputs, GenerationPrefix(p, inputs, null), p.Eps(), ToolCalls, [Open], null, [], [Open],
            responseFormat: FencedResponseFormat(p, inputs));
    }
}
