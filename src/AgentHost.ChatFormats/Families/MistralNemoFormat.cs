using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Mistral Nemo (and the older Mistral v3 tokenizer templates): a JSON array after <c>[TOOL_CALLS]</c>,
/// <c>[TOOL_CALLS][{"name": "f", "arguments": {...}, "id": "123456789"}]</c>. No thinking. llama.cpp derives this with
/// its automatic parser.
/// </summary>
public sealed class MistralNemoFormat : ChatFormat
{
    private const string Open = "[TOOL_CALLS]";

    public override string Name => "mistral-nemo";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains(Open, StringComparison.Ordinal) && !src.Contains("[ARGS]", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls()
        {
            var call = p.JsonToolCalls(Allowed(inputs), idKey: "id");
            var list = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), ",", p.Space(), call))) : call;
            var section = p.Seq(Open, p.Space(), "[", p.Space(), list, p.Space(), "]");
            return p.TriggerRule("tool-call", inputs.ToolChoice.Mode == Grammar.ToolChoiceMode.Auto ? p.Optional(section) : section);
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, null), p.Eps(), ToolCalls, [Open], null, [], [Open], responseFormat: FencedResponseFormat(p, inputs));
    }
}
