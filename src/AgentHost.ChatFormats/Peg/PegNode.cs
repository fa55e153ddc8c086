using System.Text.Json.Nodes;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Peg;

/// <summary>
/// A parsing expression. One tree of these describes a model family's output: it parses the text (also text cut off
/// mid-way, reporting <see cref="PegStatus.NeedMore"/> where the end of input might still become a match) and it is
/// translated into the GBNF grammar that constrains generation (<see cref="PegGrammarWriter"/>), so the parser and the
/// grammar never disagree about the syntax.
/// </summary>
public abstract class PegNode
{
    public abstract PegResult Parse(PegContext ctx, int pos);

    /// <summary>The GBNF expression of this node; empty when it constrains nothing (lookaheads, epsilon).</summary>
    internal abstract string ToGbnf(PegGrammarWriter writer);

    /// <summary>Whether the GBNF expression needs parentheses inside a sequence.</summary>
    internal virtual bool IsCompound => false;

    /// <summary>The node that decides how this one nests in GBNF (tags and atomics are transparent).</summary>
    internal virtual PegNode Effective => this;

    public static PegNode operator +(PegNode a, PegNode b) => PegSequence.Of(a, b);

    public static PegNode operator +(PegNode a, string b) => PegSequence.Of(a, new PegLiteral(b));

    public static PegNode operator +(string a, PegNode b) => PegSequence.Of(new PegLiteral(a), b);

    public static PegNode operator |(PegNode a, PegNode b) => PegChoice.Of(a, b);

    public static implicit operator PegNode(string literal) => new PegLiteral(literal);
}

internal sealed class PegEpsilon : PegNode
{
    public static readonly PegEpsilon Instance = new();

    public override PegResult Parse(PegContext ctx, int pos) => PegResult.Success(pos, pos);

    internal override string ToGbnf(PegGrammarWriter writer) => "";
}

internal sealed class PegEnd : PegNode
{
    public override PegResult Parse(PegContext ctx, int pos) => pos >= ctx.Input.Length ? PegResult.Success(pos, pos) : PegResult.Fail(pos);

    internal override string ToGbnf(PegGrammarWriter writer) => "";
}

internal sealed class PegLiteral(string literal) : PegNode
{
    public string Literal { get; } = literal;

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var input = ctx.Input;
        for (var i = 0; i < Literal.Length; i++)
        {
            var p = pos + i;
            if (p >= input.Length) return ctx.Lenient ? PegResult.NeedMore(pos, p) : PegResult.Fail(pos);
            if (input[p] != Literal[i]) return PegResult.Fail(pos);
        }
        return PegResult.Success(pos, pos + Literal.Length);
    }

    internal override string ToGbnf(PegGrammarWriter writer) => Literal.Length == 0 ? "" : GbnfText.Literal(Literal);
}

internal sealed class PegSequence(IReadOnlyList<PegNode> children) : PegNode
{
    public IReadOnlyList<PegNode> Children { get; } = children;

    public static PegNode Of(params PegNode[] nodes)
    {
        var flat = new List<PegNode>();
        foreach (var n in nodes)
        {
            if (n is PegSequence s) flat.AddRange(s.Children);
            else if (n is not PegEpsilon) flat.Add(n);
        }
        return flat.Count switch { 0 => PegEpsilon.Instance, 1 => flat[0], _ => new PegSequence(flat) };
    }

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var start = pos;
        List<PegAstNode>? nodes = null;
        foreach (var child in Children)
        {
            var r = child.Parse(ctx, pos);
            if (r.Failed) return PegResult.Fail(start, r.End);
            if (r.Nodes.Count > 0) (nodes ??= []).AddRange(r.Nodes);
            if (r.NeedsMore) return PegResult.NeedMore(start, r.End, nodes);
            pos = r.End;
        }
        return PegResult.Success(start, pos, nodes);
    }

    internal override bool IsCompound => true;

    internal override string ToGbnf(PegGrammarWriter writer)
    {
        var parts = new List<string>();
        foreach (var child in Children)
        {
            var g = child.ToGbnf(writer);
            if (g.Length == 0) continue;
            parts.Add(child.Effective.IsCompound ? "(" + g + ")" : g);
        }
        return string.Join(" ", parts);
    }
}

internal sealed class PegChoice(IReadOnlyList<PegNode> children) : PegNode
{
    public IReadOnlyList<PegNode> Children { get; } = children;

    public static PegNode Of(params PegNode[] nodes)
    {
        var flat = new List<PegNode>();
        foreach (var n in nodes)
        {
            if (n is PegChoice c) flat.AddRange(c.Children);
            else flat.Add(n);
        }
        return flat.Count == 1 ? flat[0] : new PegChoice(flat);
    }

    public override PegResult Parse(PegContext ctx, int pos)
    {
        foreach (var child in Children)
        {
            var r = child.Parse(ctx, pos);
            if (!r.Failed) return r;
        }
        return PegResult.Fail(pos);
    }

    internal override bool IsCompound => true;

    internal override string ToGbnf(PegGrammarWriter writer)
    {
        var parts = Children.Select(c =>
        {
            var g = c.ToGbnf(writer);
            return c.Effective is PegChoice ? "(" + g + ")" : g.Length == 0 ? "\"\"" : g;
        });
        return string.Join(" | ", parts);
    }
}

internal sealed class PegRepeat(PegNode child, int min, int max) : PegNode
{
    public PegNode Child { get; } = child;
    public int Min { get; } = min;
    public int Max { get; } = max; // -1: unbounded

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var start = pos;
        var count = 0;
        List<PegAstNode>? nodes = null;
        while (Max < 0 || count < Max)
        {
            if (pos >= ctx.Input.Length) break;
            var r = Child.Parse(ctx, pos);
            if (r.Succeeded)
            {
                if (r.End == pos) break; // an empty match would loop forever
                if (r.Nodes.Count > 0) (nodes ??= []).AddRange(r.Nodes);
                pos = r.End;
                count++;
                continue;
            }
            if (r.NeedsMore)
            {
                if (r.Nodes.Count > 0) (nodes ??= []).AddRange(r.Nodes);
                return PegResult.NeedMore(start, r.End, nodes);
            }
            break;
        }
        if (Min > 0 && count < Min)
        {
            if (pos >= ctx.Input.Length && ctx.Lenient) return PegResult.NeedMore(start, pos, nodes);
            return PegResult.Fail(start, pos);
        }
        return PegResult.Success(start, pos, nodes);
    }

    internal override string ToGbnf(PegGrammarWriter writer)
    {
        var g = Child.ToGbnf(writer);
        if (g.Length == 0) return "";
        if (Child.Effective.IsCompound) g = "(" + g + ")";
        return g + PegGrammarWriter.Quantifier(Min, Max);
    }
}

/// <summary>Positive lookahead: matches what the child matches, consuming nothing.</summary>
internal sealed class PegPeek(PegNode child) : PegNode
{
    public PegNode Child { get; } = child;

    public override PegResult Parse(PegContext ctx, int pos) => new(Child.Parse(ctx, pos).Status, pos, pos, []);

    internal override string ToGbnf(PegGrammarWriter writer) => "";
}

/// <summary>Negative lookahead; a child that needs more input leaves the answer open.</summary>
internal sealed class PegNot(PegNode child) : PegNode
{
    public PegNode Child { get; } = child;

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var r = Child.Parse(ctx, pos);
        return r.Status switch
        {
            PegStatus.Success => PegResult.Fail(pos),
            PegStatus.NeedMore => PegResult.NeedMore(pos, pos),
            _ => PegResult.Success(pos, pos),
        };
    }

    internal override string ToGbnf(PegGrammarWriter writer) => "";
}

/// <summary>One code point.</summary>
internal sealed class PegAny : PegNode
{
    public override PegResult Parse(PegContext ctx, int pos)
    {
        if (pos >= ctx.Input.Length) return ctx.Lenient ? PegResult.NeedMore(pos, pos) : PegResult.Fail(pos);
        return PegResult.Success(pos, pos + (char.IsHighSurrogate(ctx.Input[pos]) && pos + 1 < ctx.Input.Length ? 2 : 1));
    }

    internal override string ToGbnf(PegGrammarWriter writer) => ".";
}

/// <summary>Zero or more whitespace characters.</summary>
internal sealed class PegSpace : PegNode
{
    public override PegResult Parse(PegContext ctx, int pos)
    {
        var p = pos;
        while (p < ctx.Input.Length && IsSpace(ctx.Input[p])) p++;
        return PegResult.Success(pos, p);
    }

    internal static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    internal override string ToGbnf(PegGrammarWriter writer) => writer.SpaceRule;
}

/// <summary>A character class repeated <c>min..max</c> times, e.g. <c>[a-zA-Z0-9_]</c>.</summary>
internal sealed class PegChars : PegNode
{
    private readonly (int Lo, int Hi)[] _ranges;
    private readonly bool _negated;

    public PegChars(string pattern, int min, int max)
    {
        Pattern = pattern;
        Min = min;
        Max = max;
        (_ranges, _negated) = ParseClass(pattern);
    }

    public string Pattern { get; }
    public int Min { get; }
    public int Max { get; }

    public bool Matches(int cp)
    {
        var m = false;
        foreach (var (lo, hi) in _ranges)
        {
            if (cp >= lo && cp <= hi) { m = true; break; }
        }
        return m != _negated;
    }

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var input = ctx.Input;
        var p = pos;
        var count = 0;
        while (Max < 0 || count < Max)
        {
            if (p >= input.Length) break;
            int cp;
            int len;
            if (char.IsHighSurrogate(input[p]) && p + 1 < input.Length && char.IsLowSurrogate(input[p + 1]))
            {
                cp = char.ConvertToUtf32(input[p], input[p + 1]);
                len = 2;
            }
            else
            {
                cp = input[p];
                len = 1;
            }
            if (!Matches(cp)) break;
            p += len;
            count++;
        }
        if (count < Min)
        {
            if (p >= input.Length && ctx.Lenient) return PegResult.NeedMore(pos, p);
            return PegResult.Fail(pos, p);
        }
        return PegResult.Success(pos, p);
    }

    internal override string ToGbnf(PegGrammarWriter writer) => Pattern + PegGrammarWriter.Quantifier(Min, Max);

    private static ((int, int)[] Ranges, bool Negated) ParseClass(string pattern)
    {
        if (pattern.Length < 2 || pattern[0] != '[' || pattern[^1] != ']')
            throw new ArgumentException($"A character class is written [..]: '{pattern}'.", nameof(pattern));
        var body = pattern[1..^1];
        var negated = body.StartsWith('^');
        if (negated) body = body[1..];
        var ranges = new List<(int, int)>();
        var i = 0;
        int Next()
        {
            var c = body[i++];
            if (c != '\\' || i >= body.Length) return c;
            var e = body[i++];
            return e switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'x' => ReadHex(2),
                'u' => ReadHex(4),
                _ => e,
            };
        }
        int ReadHex(int n)
        {
            var v = Convert.ToInt32(body.Substring(i, n), 16);
            i += n;
            return v;
        }
        while (i < body.Length)
        {
            var lo = Next();
            if (i + 1 < body.Length && body[i] == '-')
            {
                i++;
                ranges.Add((lo, Next()));
            }
            else
            {
                ranges.Add((lo, lo));
            }
        }
        return ([.. ranges], negated);
    }
}

/// <summary>The inside of a quoted string with JSON escapes, up to (not including) the closing delimiter.</summary>
internal sealed class PegStringContent(char delimiter) : PegNode
{
    public char Delimiter { get; } = delimiter;

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var input = ctx.Input;
        var p = pos;
        while (p < input.Length)
        {
            var c = input[p];
            if (c == Delimiter) return PegResult.Success(pos, p);
            if (c == '\\')
            {
                if (p + 1 >= input.Length) return ctx.Lenient ? PegResult.NeedMore(pos, p) : PegResult.Fail(pos);
                var e = input[p + 1];
                if (e == Delimiter || e is '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't')
                {
                    p += 2;
                    continue;
                }
                if (e != 'u') return PegResult.Fail(pos);
                for (var k = 0; k < 4; k++)
                {
                    var q = p + 2 + k;
                    if (q >= input.Length) return ctx.Lenient ? PegResult.NeedMore(pos, p) : PegResult.Fail(pos);
                    if (!Uri.IsHexDigit(input[q])) return PegResult.Fail(pos);
                }
                p += 6;
                continue;
            }
            p++;
        }
        return ctx.Lenient ? PegResult.NeedMore(pos, p) : PegResult.Fail(pos, p);
    }

    internal override string ToGbnf(PegGrammarWriter writer)
    {
        var d = GbnfText.ClassChar(Delimiter);
        return $"( [^{d}\\\\] | \"\\\\\" ( [{d}\\\\/bfnrt] | \"u\" [0-9a-fA-F]{{4}} ) )*";
    }
}

/// <summary>
/// Everything up to the first of <see cref="Delimiters"/> (not consumed); with none, everything. A delimiter that the
/// end of input cuts off stops the match before it, so its beginning is never taken for text.
/// </summary>
internal sealed class PegUntil(IReadOnlyList<string> delimiters) : PegNode
{
    public IReadOnlyList<string> Delimiters { get; } = delimiters;

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var input = ctx.Input;
        for (var p = pos; p < input.Length; p++)
        {
            foreach (var d in Delimiters)
            {
                var available = input.Length - p;
                if (available >= d.Length)
                {
                    if (string.CompareOrdinal(input, p, d, 0, d.Length) == 0) return PegResult.Success(pos, p);
                }
                else if (string.CompareOrdinal(input, p, d, 0, available) == 0)
                {
                    return PegResult.Success(pos, p);
                }
            }
        }
        return ctx.Lenient ? PegResult.NeedMore(pos, input.Length) : PegResult.Success(pos, input.Length);
    }

    internal override string ToGbnf(PegGrammarWriter writer) =>
        Delimiters.Count == 0 ? ".*" : writer.ExcludingRule(Delimiters);
}

/// <summary>Tags the span its child matches (content, reasoning, tool name...), for the message mapper.</summary>
internal sealed class PegTag(string tag, PegNode child) : PegNode
{
    public string Tag { get; } = tag;
    public PegNode Child { get; } = child;

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var r = Child.Parse(ctx, pos);
        if (r.Failed) return r;
        var node = new PegAstNode(null, Tag, r.Start, r.End, Slice(ctx.Input, r.Start, r.End), r.Nodes, r.NeedsMore);
        return r with { Nodes = [node] };
    }

    internal static string Slice(string input, int start, int end) =>
        start < input.Length ? input[start..Math.Min(end, input.Length)] : "";

    internal override PegNode Effective => Child.Effective;

    internal override string ToGbnf(PegGrammarWriter writer) => Child.ToGbnf(writer);
}

/// <summary>A child whose partial match yields no AST nodes (a half-read marker must not show up as a value).</summary>
internal sealed class PegAtomic(PegNode child) : PegNode
{
    public PegNode Child { get; } = child;

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var r = Child.Parse(ctx, pos);
        return r.NeedsMore ? r with { Nodes = [] } : r;
    }

    internal override PegNode Effective => Child.Effective;

    internal override string ToGbnf(PegGrammarWriter writer) => Child.ToGbnf(writer);
}

/// <summary>
/// A named rule: parsing records a node with its name; in GBNF it becomes a rule of its own. Trigger rules are the entry
/// points of a lazy grammar (what may follow a trigger word).
/// </summary>
public sealed class PegRule : PegNode
{
    internal PegRule(string name, bool trigger)
    {
        Name = name;
        Trigger = trigger;
    }

    public string Name { get; }
    public bool Trigger { get; }
    internal PegNode? Body { get; set; }

    public override PegResult Parse(PegContext ctx, int pos)
    {
        var body = Body ?? throw new InvalidOperationException($"PEG rule '{Name}' has no body.");
        var r = body.Parse(ctx, pos);
        if (r.Failed) return r;
        var node = new PegAstNode(Name, null, r.Start, r.End, PegTag.Slice(ctx.Input, r.Start, r.End), r.Nodes, r.NeedsMore);
        return r with { Nodes = [node] };
    }

    internal override string ToGbnf(PegGrammarWriter writer) => writer.RuleName(this);
}

/// <summary>Parses with its child; in GBNF, constrains by a JSON schema instead (tool arguments, response formats).</summary>
internal sealed class PegSchema(PegNode child, string name, JsonNode schema, bool raw) : PegNode
{
    public PegNode Child { get; } = child;
    public string Name { get; } = name;
    public JsonNode Schema { get; } = schema;

    /// <summary>A raw value (e.g. an unquoted XML parameter) whose schema allows a string is left to the child's grammar.</summary>
    public bool Raw { get; } = raw;

    public override PegResult Parse(PegContext ctx, int pos) => Child.Parse(ctx, pos);

    internal override PegNode Effective => Raw && SchemaTypes.MayBeString(Schema) ? Child.Effective : this;

    internal override string ToGbnf(PegGrammarWriter writer) =>
        Raw && SchemaTypes.MayBeString(Schema) ? Child.ToGbnf(writer) : writer.SchemaRule(Name, Schema);
}

/// <summary>Parses with its child; in GBNF, writes the given expression instead.</summary>
internal sealed class PegGbnf(PegNode child, string grammar) : PegNode
{
    public PegNode Child { get; } = child;

    public override PegResult Parse(PegContext ctx, int pos) => Child.Parse(ctx, pos);

    internal override string ToGbnf(PegGrammarWriter writer) => grammar;
}

/// <summary>
/// Parses with its child (which consumes the delimiter itself); in GBNF, matches everything up to and including the
/// first delimiter, exactly (an Aho-Corasick automaton), so a raw value can never swallow its own closer.
/// </summary>
internal sealed class PegUntilIncluding(PegNode child, IReadOnlyList<string> delimiters) : PegNode
{
    public PegNode Child { get; } = child;

    public override PegResult Parse(PegContext ctx, int pos) => Child.Parse(ctx, pos);

    internal override string ToGbnf(PegGrammarWriter writer) => writer.IncludingRule(delimiters);
}

/// <summary>Parses with one node and constrains generation with another (a looser or stricter twin).</summary>
internal sealed class PegGrammarOf(PegNode parse, PegNode grammar) : PegNode
{
    public PegNode Child { get; } = parse;
    public PegNode Grammar { get; } = grammar;

    public override PegResult Parse(PegContext ctx, int pos) => Child.Parse(ctx, pos);

    internal override PegNode Effective => Grammar.Effective;

    internal override string ToGbnf(PegGrammarWriter writer) => Grammar.ToGbnf(writer);
}

/// <summary>
/// A raw (unquoted) string value and its closer: parsed by <see cref="Fallback"/>; in GBNF the string schema's own
/// raw grammar (<see cref="AgentHost.Grammar.RawStringGrammar"/>) then <see cref="Close"/>, or the fallback's grammar
/// when the schema constrains nothing a raw grammar can enforce.
/// </summary>
internal sealed class PegRawString(PegNode fallback, string name, JsonNode schema, string excludedChars, PegNode close) : PegNode
{
    public PegNode Fallback { get; } = fallback;
    public PegNode Close { get; } = close;

    public override PegResult Parse(PegContext ctx, int pos) => Fallback.Parse(ctx, pos);

    internal override string ToGbnf(PegGrammarWriter writer) =>
        writer.RawStringRule(name, schema, excludedChars) is { } rule
            ? rule + " " + (Close.Effective.IsCompound ? "(" + Close.ToGbnf(writer) + ")" : Close.ToGbnf(writer))
            : "(" + Fallback.ToGbnf(writer) + ")";
}
