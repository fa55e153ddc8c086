namespace AgentHost.Grammar;

/// <summary>The small regex syntax tree that <see cref="RegexPatternParser"/> builds and <see cref="RegexPatternTranslator"/> emits.</summary>
internal abstract record RegexNode;

/// <summary>Alternatives <c>a|b</c>.</summary>
internal sealed record RegexAlternation(IReadOnlyList<RegexSequence> Branches) : RegexNode;

/// <summary>Items matched one after another.</summary>
internal sealed record RegexSequence(IReadOnlyList<RegexNode> Items) : RegexNode;

/// <summary>One code point from a set (a literal character is a one-element set).</summary>
internal sealed record RegexChars(CharSet Set, bool IsLiteral) : RegexNode;

/// <summary>A quantified item; <see cref="Max"/> null means unbounded.</summary>
internal sealed record RegexRepeat(RegexNode Item, int Min, int? Max) : RegexNode;

/// <summary><c>^</c> or <c>$</c>.</summary>
internal sealed record RegexAnchor(bool IsStart) : RegexNode;
