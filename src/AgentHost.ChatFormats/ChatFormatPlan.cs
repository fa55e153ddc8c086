using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats;

/// <summary>
/// How one request's reply is generated and read: the parser of the family's syntax, the grammar that constrains
/// generation (lazy, waiting for a trigger word, when tools are optional), and the thinking markers.
/// </summary>
public sealed record ChatFormatPlan
{
    /// <summary>The family that made the plan (e.g. "qwen3-coder", "gpt-oss").</summary>
    public required string Family { get; init; }

    /// <summary>Parses generation prompt + reply.</summary>
    public required PegNode Parser { get; init; }

    public required ChatFormatInputs Inputs { get; init; }

    /// <summary>GBNF for the reply, or null for free generation.</summary>
    public string? Grammar { get; init; }

    /// <summary>Whether <see cref="Grammar"/> waits for one of <see cref="TriggerWords"/> / <see cref="TriggerPatterns"/>.</summary>
    public bool GrammarLazy { get; init; }

    /// <summary>Literal openers that start a tool call (lazy grammar triggers).</summary>
    public IReadOnlyList<string> TriggerWords { get; init; } = [];

    /// <summary>Trigger regexes for llama.cpp's lazy grammar (a pattern that must match from the start of the reply begins with ^).</summary>
    public IReadOnlyList<string> TriggerPatterns { get; init; } = [];

    public string? ThinkingStartTag { get; init; }

    public IReadOnlyList<string> ThinkingEndTags { get; init; } = [];

    /// <summary>Special tokens the family's syntax relies on (they must not be split when tokenizing).</summary>
    public IReadOnlyList<string> PreservedTokens { get; init; } = [];

    /// <summary>The mapper for families whose arguments are not JSON text (e.g. Gemma 4's own value syntax); null: the standard one.</summary>
    public Func<ChatMessageMapper>? Mapper { get; init; }

    /// <summary>Parses a reply (cut off or whole). Text that does not follow the syntax is kept as content.</summary>
    public ParsedChatMessage Parse(string reply, bool partial = false, Func<ChatMessageMapper>? mapper = null)
    {
        mapper ??= Mapper;
        var input = Inputs.GenerationPrompt + reply;
        var result = Parser.Parse(new PegContext(input), 0);
        if (result.Failed)
        {
            if (partial && result.End > 0) return (mapper?.Invoke() ?? new ChatMessageMapper()).Map(result.Nodes);
            return new ParsedChatMessage(reply, "", []) { IsFallback = true };
        }
        return (mapper?.Invoke() ?? new ChatMessageMapper()).Map(result.Nodes);
    }

    /// <summary>The lazy-grammar trigger patterns to pass to llama.cpp: the escaped words, then the patterns.</summary>
    public IReadOnlyList<string> AllTriggerPatterns =>
        [.. TriggerWords.Select(AgentHost.Grammar.TriggerRegex.Escape), .. TriggerPatterns];
}
