using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Cohere2 MoE (North Code): the generation prompt opens <c>&lt;|START_THINKING|&gt;</c>; after the thinking either
/// <c>&lt;|START_TEXT|&gt; … &lt;|END_TEXT|&gt;</c> (the answer) or <c>&lt;|START_ACTION|&gt;[{"tool_call_id": …,
/// "tool_name": …, "parameters": …}]&lt;|END_ACTION|&gt;</c> (llama.cpp's specialized cohere2moe parser).
/// </summary>
public sealed class Cohere2MoeFormat : ChatFormat
{
    private const string TextStart = "<|START_TEXT|>";
    private const string TextEnd = "<|END_TEXT|>";

    public override string Name => "cohere2-moe";

    public override string? ToolCallOpener => CommandR7BFormat.ActionStart;

    public override bool Matches(string src) =>
        src.Contains(TextStart, StringComparison.Ordinal) && src.Contains(CommandR7BFormat.ActionStart, StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => CommandR7BFormat.ThinkStart;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var prefix = GenerationPrefix(p, inputs, CommandR7BFormat.ThinkStart);
        var reasoning = CommandR7BFormat.Reasoning(p, inputs, TextStart, CommandR7BFormat.ActionStart);
        PegNode answer = inputs.ResponseSchema is { } schema ? p.ResponseFormat(schema) : p.Content(p.Until(TextEnd));
        var text = p.Seq(TextStart, answer, p.Optional(p.Literal(TextEnd)));
        PegNode body;
        var hasTools = inputs.HasTools;
        if (hasTools)
        {
            var required = inputs.ToolChoice.Mode != ToolChoiceMode.Auto;
            var calls = JsonToolSection.Build(p, inputs with { ToolChoice = required ? inputs.ToolChoice : ToolChoice.Required },
                CommandR7BFormat.ActionStart, CommandR7BFormat.ActionEnd, arrayWrapped: true,
                nameKey: "tool_name", argsKey: "parameters", idKey: "tool_call_id", idFirst: true);
            body = required ? calls : p.Choice(calls, text);
        }
        else
        {
            body = text;
        }
        var root = p.Seq(prefix, reasoning, body, p.Optional(p.Literal("<|END_OF_TURN_TOKEN|>")));
        var grammarWanted = inputs.ResponseSchema is not null || hasTools;
        var lazy = hasTools && inputs.ResponseSchema is null && inputs.ToolChoice.Mode == ToolChoiceMode.Auto;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = grammarWanted ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = lazy,
            TriggerWords = lazy ? [CommandR7BFormat.ActionStart] : [],
            ThinkingStartTag = CommandR7BFormat.ThinkStart,
            ThinkingEndTags = [CommandR7BFormat.ThinkEnd],
            PreservedTokens = ["<|START_OF_TURN_TOKEN|>", "<|END_OF_TURN_TOKEN|>", "<|CHATBOT_TOKEN|>", "<|USER_TOKEN|>", "<|SYSTEM_TOKEN|>",
                CommandR7BFormat.ThinkStart, CommandR7BFormat.ThinkEnd, TextStart, TextEnd, CommandR7BFormat.ActionStart, CommandR7BFormat.ActionEnd,
                "<|START_TOOL_RESULT|>", "<|END_TOOL_RESULT|>"],
        };
    }
}
