using System.Text.Json.Nodes;

namespace AgentHost.ChatFormats.Peg;

/// <summary>
/// Builds PEG trees: the primitives, JSON and Python value parsers, and the tags the chat mapper reads. Named rules are
/// memoized by name, so a family can ask for <see cref="Json"/> many times and get one rule.
/// </summary>
public class PegBuilder
{
    private readonly Dictionary<string, PegRule> _rules = new(StringComparer.Ordinal);

    public PegNode Eps() => PegEpsilon.Instance;

    public PegNode End() => new PegEnd();

    public PegNode Literal(string text) => new PegLiteral(text);

    public PegNode Seq(params PegNode[] nodes) => PegSequence.Of(nodes);

    /// <summary>A sequence with optional whitespace between the parts (llama.cpp's <c>a &lt;&lt; b</c>).</summary>
    public PegNode SpacedSeq(params PegNode[] nodes)
    {
        var list = new List<PegNode>();
        foreach (var n in nodes)
        {
            if (n is PegEpsilon) continue;
            if (list.Count > 0) list.Add(Space());
            list.Add(n);
        }
        return PegSequence.Of([.. list]);
    }

    public PegNode Choice(params PegNode[] nodes) => nodes.Length == 0 ? new PegChoice([]) : PegChoice.Of(nodes);

    public PegNode Repeat(PegNode child, int min, int max) => new PegRepeat(child, min, max);

    public PegNode Optional(PegNode child) => new PegRepeat(child, 0, 1);

    public PegNode ZeroOrMore(PegNode child) => new PegRepeat(child, 0, -1);

    public PegNode OneOrMore(PegNode child) => new PegRepeat(child, 1, -1);

    public PegNode Peek(PegNode child) => new PegPeek(child);

    public PegNode Not(PegNode child) => new PegNot(child);

    public PegNode Any() => new PegAny();

    public PegNode Space() => new PegSpace();

    public PegNode Chars(string pattern, int min = 1, int max = -1) => new PegChars(pattern, min, max);

    public PegNode Until(string delimiter) => new PegUntil([delimiter]);

    public PegNode UntilOneOf(params string[] delimiters) => new PegUntil(delimiters);

    public PegNode UntilOneOf(IEnumerable<string> delimiters) => new PegUntil([.. delimiters]);

    /// <summary>Everything that is left.</summary>
    public PegNode Rest() => new PegUntil([]);

    public PegNode Atomic(PegNode child) => new PegAtomic(child);

    public PegNode Tag(string tag, PegNode child) => new PegTag(tag, child);

    public PegNode Gbnf(PegNode child, string grammar) => new PegGbnf(child, grammar);

    /// <summary>Parses with <paramref name="parse"/>; in GBNF, written as <paramref name="grammar"/>.</summary>
    public PegNode GrammarOf(PegNode parse, PegNode grammar) => new PegGrammarOf(parse, grammar);

    /// <summary>Parsed by the child (which consumes its delimiter); in GBNF exactly "up to and including the delimiter".</summary>
    public PegNode UntilIncluding(PegNode child, params string[] delimiters) => new PegUntilIncluding(child, delimiters);

    /// <summary>Parsed by the child; constrained in GBNF by <paramref name="schema"/>.</summary>
    public PegNode Schema(PegNode child, string name, JsonNode schema, bool raw = false) => new PegSchema(child, name, schema, raw);

    /// <summary>
    /// A raw string value parsed by <paramref name="fallback"/>; in GBNF constrained by the string schema (const, enum,
    /// pattern, lengths) and followed by <paramref name="close"/>, free characters excluding <paramref name="excludedChars"/>.
    /// </summary>
    public PegNode RawString(PegNode fallback, string name, JsonNode schema, string excludedChars, PegNode close) =>
        new PegRawString(fallback, name, schema, excludedChars, close);

    /// <summary>A named rule (memoized by name).</summary>
    public PegRule Rule(string name, PegNode body, bool trigger = false)
    {
        var rule = new PegRule(UniqueName(name), trigger) { Body = body };
        _rules[rule.Name] = rule;
        return rule;
    }

    /// <summary>A named rule built on first use; recursion through <paramref name="build"/> sees the same rule.</summary>
    public PegRule Rule(string name, Func<PegNode> build, bool trigger = false)
    {
        if (_rules.TryGetValue(name, out var existing)) return existing;
        var rule = new PegRule(name, trigger);
        _rules[name] = rule;
        rule.Body = build();
        return rule;
    }

    public PegRule TriggerRule(string name, PegNode body) => Rule(name, body, trigger: true);

    private string UniqueName(string name)
    {
        var clean = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-')]);
        var candidate = clean;
        for (var i = 1; _rules.ContainsKey(candidate); i++) candidate = clean + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return candidate;
    }

    // ---- strings and JSON --------------------------------------------------------------------------------------

    public PegNode StringContent(char delimiter) => new PegStringContent(delimiter);

    public PegRule DoubleQuotedString() => Rule("double-quoted-string", () => Seq("\"", StringContent('"'), "\""));

    public PegRule SingleQuotedString() => Rule("single-quoted-string", () => Seq("'", StringContent('\''), "'"));

    public PegRule JsonNumber() => Rule("json-number", () =>
    {
        var intPart = Choice("0", Seq(Chars("[1-9]", 1, 1), Chars("[0-9]", 0, -1)));
        var frac = Seq(".", Chars("[0-9]"));
        var exp = Seq(Choice("e", "E"), Optional(Chars("[+-]", 1, 1)), Chars("[0-9]"));
        // Only commit a number when the next character cannot extend it ("3" may become "3.14").
        return Seq(Optional("-"), intPart, Optional(frac), Optional(exp), Not(Chars("[0-9.eE+-]", 1, 1)));
    });

    public PegRule JsonString() => Rule("json-string", () => Seq("\"", StringContent('"'), "\""));

    public PegRule JsonBool() => Rule("json-bool", () => Choice("true", "false"));

    public PegRule JsonNull() => Rule("json-null", () => Literal("null"));

    public PegRule JsonObject() => Rule("json-object", () =>
    {
        var ws = Space();
        var member = Seq(JsonString(), ws, ":", ws, Json());
        var members = Seq(member, ZeroOrMore(Seq(ws, ",", ws, member)));
        return Seq("{", ws, Choice("}", Seq(members, ws, "}")));
    });

    public PegRule JsonArray() => Rule("json-array", () =>
    {
        var ws = Space();
        var elements = Seq(Json(), ZeroOrMore(Seq(ws, ",", ws, Json())));
        return Seq("[", ws, Choice("]", Seq(elements, ws, "]")));
    });

    public PegRule Json() => Rule("json-value", () => Choice(JsonObject(), JsonArray(), JsonString(), JsonNumber(), JsonBool(), JsonNull()));

    /// <summary>A JSON object member <c>"key": value</c>.</summary>
    public PegNode JsonMember(string key, PegNode value) => Seq("\"" + key + "\"", Space(), ":", Space(), value);

    // ---- Python literals (True/False/None, both quote styles) --------------------------------------------------

    public PegRule PythonString() => Rule("python-string", () => Choice(DoubleQuotedString(), SingleQuotedString()));

    public PegRule PythonBool() => Rule("python-bool", () => Choice("True", "False"));

    public PegRule PythonNone() => Rule("python-none", () => Literal("None"));

    public PegRule PythonDict() => Rule("python-dict", () =>
    {
        var ws = Space();
        var member = Seq(PythonString(), ws, ":", ws, PythonValue());
        var members = Seq(member, ZeroOrMore(Seq(ws, ",", ws, member)));
        return Seq("{", ws, Choice("}", Seq(members, ws, "}")));
    });

    public PegRule PythonArray() => Rule("python-array", () =>
    {
        var ws = Space();
        var elements = Seq(PythonValue(), ZeroOrMore(Seq(",", ws, PythonValue())));
        return Seq("[", ws, Choice("]", Seq(elements, ws, "]")));
    });

    public PegRule PythonValue() => Rule("python-value", () => Choice(PythonDict(), PythonArray(), PythonString(), JsonNumber(), PythonBool(), PythonNone()));
}
