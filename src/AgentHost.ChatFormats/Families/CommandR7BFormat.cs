using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Cohere Command R7B: thinking in <c>&lt;|START_THINKING|&gt; … &lt;|END_THINKING|&gt;</c>, the answer in
/// <c>&lt;|START_RESPONSE|&gt; … &lt;|END_RESPONSE|&gt;</c>, calls as a JSON array in
/// <c>&lt;|START_ACTION|&gt;[{"tool_call_id": "0", "tool_name": "f", "parameters": {...}}]&lt;|END_ACTION|&gt;</c>.
/// llama.cpp derives this with its automatic parser.
/// </summary>
public sealed class CommandR7BFormat : ChatFormat
{
    internal const string ThinkStart = "<|START_THINKING|>";
    internal const string ThinkEnd = "<|END_THINKING|>";
    internal const string ActionStart = "<|START_ACTION|>";
    internal const string ActionEnd = "<|END_ACTION|>";

    public override string Name => "command-r7b";

    public override string? ToolCallOpener => ActionStart;

    public override bool Matches(string src) =>
        src.Contains(ActionStart, StringComparison.Ordinal) && src.Contains("<|START_RESPONSE|>", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => ThinkStart;

    /// <summary>Cohere's thinking block: extracted, or kept (markers and all) as content.</summary>
    internal static PegNode Reasoning(ChatPegBuilder p, ChatFormatInputs inputs, params string[] alsoEndedBy)
    {
        var body = p.UntilOneOf([ThinkEnd, .. alsoEndedBy]);
        return inputs.ExtractReasoning
            ? p.Optional(p.Seq(ThinkStart, p.Reasoning(body), p.Optional(p.Literal(ThinkEnd))))
            // The peek keeps a cut-off "<|START_" (thinking or response?) out of the content while streaming.
            : p.Optional(p.Seq(p.Peek(p.Literal(ThinkStart)), p.Content(p.Seq(ThinkStart, body, p.Optional(p.Literal(ThinkEnd))))));
    }

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var reasoning = Reasoning(p, inputs, "<|START_RESPONSE|>", ActionStart);
        var response = p.Seq("<|START_RESPONSE|>", p.Content(p.Until("<|END_RESPONSE|>")), p.Optional(p.Literal("<|END_RESPONSE|>")));
        PegNode ToolCalls() => JsonToolSection.Build(p, inputs, ActionStart, ActionEnd, arrayWrapped: true,
            nameKey: "tool_name", argsKey: "parameters", idKey: "tool_call_id", idFirst: true);
        var plan = Standard(p, inputs, GenerationPrefix(p, inputs, ThinkStart), reasoning, ToolCalls, [ActionStart],
            ThinkStart, [ThinkEnd], [ThinkStart, ThinkEnd, "<|START_RESPONSE|>", "<|END_RESPONSE|>", ActionStart, ActionEnd],
            contentEnd: null, responseFormat: FencedResponseFormat(p, inputs));
        if (!inputs.HasTools && inputs.ResponseSchema is null)
        {
            // The answer is wrapped; without tools the reply is the thinking and the wrapped answer.
            var root = p.Seq(GenerationPrefix(p, inputs, ThinkStart), p.SpacedSeq(reasoning, p.Choice(response, p.Content(p.Rest()))));
            return plan with { Parser = root };
        }
        if (inputs.HasTools && inputs.ResponseSchema is null && inputs.ToolChoice.Mode == ToolChoiceMode.Auto)
        {
            var calls = ToolCalls();
            var root = p.Seq(GenerationPrefix(p, inputs, ThinkStart), p.SpacedSeq(reasoning, p.Choice(p.Seq(response, p.Space(), calls), p.Seq(p.Content(p.Until(ActionStart)), calls))));
            return plan with { Parser = root };
        }
        return plan;
    }
}
