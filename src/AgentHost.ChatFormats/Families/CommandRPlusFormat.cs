using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Cohere Command R+ (tool_use template): calls as <c>Action:\n```json\n[{"tool_name": "f", "parameters": {...}}]\n```</c>;
/// text before them is content. llama.cpp derives this with its automatic parser.
/// </summary>
public sealed class CommandRPlusFormat : ChatFormat
{
    private const string Open = "Action:\n```json\n";

    public override string Name => "command-r-plus";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("<|START_OF_TURN_TOKEN|>", StringComparison.Ordinal) && src.Contains("Action:\\n```json\\n", StringComparison.Ordinal)
        && !src.Contains("<|START_ACTION|>", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls() => JsonToolSection.Build(p, inputs, Open, "```", arrayWrapped: true, nameKey: "tool_name", argsKey: "parameters");
        // A reply may repeat the chatbot token and end with the turn end: neither is content.
        var prefix = p.Seq(GenerationPrefix(p, inputs, null), p.Optional(p.Literal("<|CHATBOT_TOKEN|>")));
        var plan = Standard(p, inputs, prefix, p.Eps(), ToolCalls, [Open], null, [],
            ["<|START_OF_TURN_TOKEN|>", "<|END_OF_TURN_TOKEN|>", "<|CHATBOT_TOKEN|>"], responseFormat: FencedResponseFormat(p, inputs));
        if (inputs.HasTools || inputs.ResponseSchema is not null) return plan;
        return plan with { Parser = p.Seq(prefix, p.Content(p.Until("<|END_OF_TURN_TOKEN|>")), p.Optional(p.Literal("<|END_OF_TURN_TOKEN|>"))) };
    }
}
