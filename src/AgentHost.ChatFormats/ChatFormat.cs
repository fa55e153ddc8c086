using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats;

/// <summary>What a chat format can do.</summary>
public sealed record ChatFormatCapabilities(bool Tools, bool ParallelToolCalls, bool Reasoning, bool SystemRole);

/// <summary>
/// One model family's chat format: recognizes its templates, and for a request builds the plan that generates and
/// reads the reply in the family's own syntax (its tool-call markers, its thinking markers).
/// </summary>
public abstract class ChatFormat
{
    /// <summary>Short family name (e.g. <c>qwen3-coder</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Whether <paramref name="templateSource"/> is a template of this family.</summary>
    public abstract bool Matches(string templateSource);

    /// <summary>The literal a tool call starts with (for display and tests), or null.</summary>
    public abstract string? ToolCallOpener { get; }

    /// <summary>What the family supports, read from its template.</summary>
    public virtual ChatFormatCapabilities Capabilities(string templateSource) => new(
        Tools: ToolCallOpener is not null,
        ParallelToolCalls: ToolCallOpener is not null,
        Reasoning: ThinkingStart(templateSource) is not null,
        SystemRole: true);

    /// <summary>The plan for one request; <paramref name="templateSource"/> is the template being used.</summary>
    public abstract ChatFormatPlan Build(string templateSource, ChatFormatInputs inputs);

    /// <summary>The thinking opener the template uses, or null when it does not think.</summary>
    protected virtual string? ThinkingStart(string templateSource) =>
        templateSource.Contains("<think>", StringComparison.Ordinal) ? "<think>" : null;

    /// <summary>
    /// The literal for the generation prompt, up to an opened thinking block (the reasoning parser reads the opener
    /// itself, whether the template wrote it or the model does).
    /// </summary>
    protected static PegNode GenerationPrefix(ChatPegBuilder p, ChatFormatInputs inputs, string? thinkingStart)
    {
        var gen = inputs.GenerationPrompt;
        if (thinkingStart is not null)
        {
            var k = gen.IndexOf(thinkingStart, StringComparison.Ordinal);
            if (k >= 0) gen = gen[..k];
        }
        return p.Literal(gen);
    }

    /// <summary>
    /// The plan for the common shape: generation prompt, optional thinking, then content and tool calls (or a
    /// response-format JSON value, or just content).
    /// </summary>
    protected ChatFormatPlan Standard(ChatPegBuilder p, ChatFormatInputs inputs, PegNode prefix, PegNode reasoning,
        Func<PegNode>? toolCalls, IReadOnlyList<string> toolCallStarts, string? thinkingStart, IReadOnlyList<string> thinkingEnds,
        IReadOnlyList<string>? preserved = null, PegNode? contentEnd = null, PegNode? responseFormat = null)
    {
        PegNode body;
        var hasFormat = inputs.ResponseSchema is not null;
        if (inputs.HasTools && toolCalls is not null)
        {
            var calls = toolCalls();
            PegNode tail;
            if (hasFormat)
                // A reply is either calls or the answer in the response format.
                tail = p.Choice(calls, responseFormat ?? p.ResponseFormat(inputs.ResponseSchema!));
            else if (inputs.ToolChoice.Mode == ToolChoiceMode.Auto)
                tail = p.SpacedSeq(p.Content(p.UntilOneOf(toolCallStarts)), calls);
            else
                // Required: text before the call is read if a model writes it, but the grammar goes straight to the
                // call, so a weak model cannot talk until its token limit instead of calling.
                tail = p.GrammarOf(p.SpacedSeq(p.Content(p.UntilOneOf(toolCallStarts)), calls), calls);
            body = p.SpacedSeq(reasoning, tail);
        }
        else if (hasFormat)
        {
            body = p.SpacedSeq(reasoning, responseFormat ?? p.ResponseFormat(inputs.ResponseSchema!));
        }
        else
        {
            body = p.SpacedSeq(reasoning, p.Content(contentEnd ?? p.Rest()));
        }
        var root = prefix + body;
        var grammarWanted = hasFormat || (inputs.HasTools && toolCalls is not null);
        var lazy = inputs.HasTools && toolCalls is not null && inputs.ToolChoice.Mode == ToolChoiceMode.Auto && !hasFormat;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = grammarWanted ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = grammarWanted && lazy,
            TriggerWords = grammarWanted && lazy ? toolCallStarts : [],
            ThinkingStartTag = thinkingStart,
            ThinkingEndTags = thinkingEnds,
            PreservedTokens = preserved ?? [],
        };
    }

    /// <summary>
    /// The response format as llama.cpp's automatic parser reads it: the JSON value, or the same in a
    /// <c>```json</c> fence. Null without a response format.
    /// </summary>
    protected static PegNode? FencedResponseFormat(ChatPegBuilder p, ChatFormatInputs inputs)
    {
        if (inputs.ResponseSchema is not { } schema) return null;
        var value = p.Rule("response-format-value", p.ResponseFormat(schema));
        return p.Rule("response-format-fenced", p.Choice(p.Seq("```json", p.Space(), value, p.Space(), "```"), value));
    }

    /// <summary>
    /// The usual thinking block: <c>&lt;think&gt; … &lt;/think&gt;</c>, also ended by a tool-call opener; absent when
    /// reasoning is left inline.
    /// </summary>
    protected static PegNode ThinkBlock(ChatPegBuilder p, ChatFormatInputs inputs, string start, string end, params string[] alsoEndedBy)
    {
        if (!inputs.ExtractReasoning) return p.Eps();
        var ends = new List<string> { end };
        ends.AddRange(alsoEndedBy);
        PegNode close = p.Literal(end);
        foreach (var e in alsoEndedBy) close = close | p.Peek(p.Literal(e));
        return p.Optional(p.Seq(start, p.Space(), p.Reasoning(p.UntilOneOf(ends)), close));
    }

    /// <summary>Calls after a section opener: one, or several when parallel calls are allowed; at least one when required.</summary>
    protected static PegNode Repeated(ChatPegBuilder p, ChatFormatInputs inputs, PegNode first, PegNode next)
    {
        var calls = inputs.ParallelToolCalls ? p.Seq(first, p.ZeroOrMore(p.Seq(p.Space(), next))) : first;
        return inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(calls) : calls;
    }

    /// <summary>The tools a request's choice allows (one, for a named function).</summary>
    protected static IReadOnlyList<ToolDefinition> Allowed(ChatFormatInputs inputs) =>
        inputs.ToolChoice.Mode == ToolChoiceMode.Function
            ? [.. inputs.Tools.Where(t => t.Name == inputs.ToolChoice.FunctionName)]
            : inputs.Tools;

    /// <inheritdoc />
    public override string ToString() => Name;
}
