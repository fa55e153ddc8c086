namespace AgentHost.ChatFormats.Peg;

/// <summary>How a parser fared at a position.</summary>
public enum PegStatus
{
    /// <summary>It does not match.</summary>
    Fail,

    /// <summary>It matches.</summary>
    Success,

    /// <summary>The input ended while it might still match: more text is needed to decide.</summary>
    NeedMore,
}

/// <summary>A parse outcome: status, the span matched (so far) and the AST nodes it produced.</summary>
public readonly record struct PegResult(PegStatus Status, int Start, int End, IReadOnlyList<PegAstNode> Nodes)
{
    public static PegResult Fail(int start, int end = -1) => new(PegStatus.Fail, start, end < 0 ? start : end, []);

    public static PegResult Success(int start, int end, IReadOnlyList<PegAstNode>? nodes = null) => new(PegStatus.Success, start, end, nodes ?? []);

    public static PegResult NeedMore(int start, int end, IReadOnlyList<PegAstNode>? nodes = null) => new(PegStatus.NeedMore, start, end, nodes ?? []);

    public bool Failed => Status == PegStatus.Fail;

    public bool Succeeded => Status == PegStatus.Success;

    public bool NeedsMore => Status == PegStatus.NeedMore;
}

/// <summary>
/// A node of the parse tree: a tagged span (content, reasoning, tool name, ...) or a named rule, with the nodes inside
/// it. <see cref="IsPartial"/> marks a node whose text the input cut off.
/// </summary>
public sealed record PegAstNode(string? Rule, string? Tag, int Start, int End, string Text, IReadOnlyList<PegAstNode> Children, bool IsPartial);

/// <summary>The input being parsed and its mode.</summary>
/// <param name="Input">The whole text.</param>
/// <param name="Lenient">
/// Whether the end of the input may be the end of what has been generated so far: parsers that reach it report
/// <see cref="PegStatus.NeedMore"/> instead of failing. Chat output is always parsed this way.
/// </param>
public sealed record PegContext(string Input, bool Lenient = true);
