using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Ministral 3 / Magistral / Mistral Large 3 / Devstral Small 2507: <c>[TOOL_CALLS]name[ARGS]{...}</c>, repeated for
/// parallel calls, thinking in <c>[THINK] … [/THINK]</c>; a response format is a fenced JSON block
/// (llama.cpp's specialized ministral-3 parser).
/// </summary>
public sealed class Ministral3Format : ChatFormat
{
    private const string Open = "[TOOL_CALLS]";

    public override string Name => "ministral-3";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("[SYSTEM_PROMPT]", StringComparison.Ordinal) && src.Contains(Open, StringComparison.Ordinal)
        && src.Contains("[ARGS]", StringComparison.Ordinal) && !src.Contains("[CALL_ID]", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => "[THINK]";

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var reasoning = inputs.ExtractReasoning
            ? p.Optional(p.Seq("[THINK]", p.Reasoning(p.Until("[/THINK]")), "[/THINK]"))
            : p.Eps();
        PegNode body;
        var grammarWanted = true;
        if (inputs.ResponseSchema is { } schema)
        {
            body = p.SpacedSeq(reasoning, p.Literal("```json"), p.ResponseFormat(schema), p.Literal("```"));
        }
        else if (inputs.HasTools)
        {
            var choices = Allowed(inputs).Select(t => (PegNode)p.Rule("tool-" + t.Name, p.Tool(p.Seq(
                p.ToolOpen(p.Seq(p.ToolName(p.Literal(t.Name)), "[ARGS]")), p.SchemaArgs(t))))).ToArray();
            var min = inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? 0 : 1;
            var max = inputs.ParallelToolCalls ? -1 : 1;
            var calls = p.TriggerRule("tool-call", p.Repeat(p.Seq(Open, p.Choice(choices)), min, max));
            body = p.SpacedSeq(reasoning, p.Content(p.Until(Open)), calls);
        }
        else
        {
            grammarWanted = false;
            body = p.SpacedSeq(reasoning, p.Content(p.Rest()));
        }
        // As llama.cpp: no generation-prompt literal; the prompt (empty, or a continuation) is read as reasoning/content.
        var root = body;
        var lazy = inputs.HasTools && inputs.ToolChoice.Mode == ToolChoiceMode.Auto && inputs.ResponseSchema is null;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = grammarWanted ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = grammarWanted && lazy,
            TriggerWords = grammarWanted && lazy ? [Open] : [],
            ThinkingStartTag = "[THINK]",
            ThinkingEndTags = ["[/THINK]"],
            PreservedTokens = ["[THINK]", "[/THINK]", Open, "[ARGS]"],
        };
    }
}
