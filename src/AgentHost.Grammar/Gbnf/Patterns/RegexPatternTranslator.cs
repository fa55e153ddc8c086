using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentHost.Grammar;

/// <summary>
/// Turns a JSON Schema <c>pattern</c> into a GBNF rule for the whole JSON string (quotes included). The regex speaks
/// about the decoded string while the grammar constrains its JSON encoding, so every character is emitted in its
/// encoded form (<c>"</c> as <c>\"</c>, a newline as <c>\n</c>, ...). An unanchored side becomes <c>char*</c>,
/// matching JSON Schema's search semantics. In raw mode (<see cref="TranslateRaw"/>) the rule is for the text itself,
/// unquoted and unescaped, as the XML-style call formats write a string parameter.
/// </summary>
internal sealed class RegexPatternTranslator
{
    // Characters that must not appear raw inside a JSON string; they get escape sequences instead.
    private static readonly (int From, int To)[] RawForbidden = [(0x00, 0x1F), ('"', '"'), ('\\', '\\'), (0x7F, 0x7F)];
    private static readonly (int Cp, string Escape)[] Escapes =
        [('"', "\\\""), ('\\', "\\\\"), ('\n', "\\n"), ('\t', "\\t"), ('\r', "\\r"), ('\f', "\\f"), ('\b', "\\b")];

    private readonly GbnfRuleSet _rules;
    private readonly string _name;
    private readonly Func<string, string> _ensurePrimitive;
    private readonly bool _raw;
    private int _subRules;

    private RegexPatternTranslator(GbnfRuleSet rules, string name, Func<string, string> ensurePrimitive, bool raw = false)
    {
        _rules = rules;
        _name = name;
        _ensurePrimitive = ensurePrimitive;
        _raw = raw;
    }

    /// <summary>
    /// As <see cref="Translate"/>, for the raw text (no quotes, no JSON escapes); an unanchored side is
    /// <paramref name="anyCharRule"/> repeated. Same exceptions.
    /// </summary>
    public static string TranslateRaw(string pattern, GbnfRuleSet rules, string nameHint, string schemaPath, string anyCharRule) =>
        TranslateCore(pattern, rules, nameHint, schemaPath, _ => anyCharRule, raw: true);

    /// <summary>
    /// Adds the rule for <paramref name="pattern"/> and returns its name. Throws <see cref="InvalidSchemaException"/>
    /// for an invalid regex and <see cref="UnsupportedSchemaException"/> for a construct with no grammar equivalent.
    /// </summary>
    public static string Translate(string pattern, GbnfRuleSet rules, string nameHint, string schemaPath, Func<string, string> ensurePrimitive) =>
        TranslateCore(pattern, rules, nameHint, schemaPath, ensurePrimitive, raw: false);

    private static string TranslateCore(string pattern, GbnfRuleSet rules, string nameHint, string schemaPath, Func<string, string> ensurePrimitive, bool raw)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new InvalidSchemaException(schemaPath, "pattern", $"'{pattern}' is not a valid regular expression ({e.Message})", e);
        }
        try
        {
            var tree = RegexPatternParser.Parse(pattern);
            var translator = new RegexPatternTranslator(rules, nameHint, ensurePrimitive, raw);
            var body = string.Join(" | ", tree.Branches.Select(translator.TopLevelBranch));
            return rules.Add(nameHint, raw ? $"( {body} )" : $"[\"] ( {body} ) [\"]");
        }
        catch (RegexUnsupportedException e)
        {
            throw new UnsupportedSchemaException(schemaPath, "pattern", $"'{pattern}' uses {e.Message}, which has no grammar equivalent", e);
        }
    }

    private string TopLevelBranch(RegexSequence branch)
    {
        var items = branch.Items.ToList();
        var anchoredStart = items.Count > 0 && items[0] is RegexAnchor { IsStart: true };
        if (anchoredStart) items.RemoveAt(0);
        var anchoredEnd = items.Count > 0 && items[^1] is RegexAnchor { IsStart: false };
        if (anchoredEnd) items.RemoveAt(items.Count - 1);
        var parts = new List<string>();
        if (!anchoredStart) parts.Add(_ensurePrimitive("char") + "*");
        var body = Sequence(new RegexSequence(items));
        if (body.Length > 0) parts.Add(body);
        if (!anchoredEnd) parts.Add(_ensurePrimitive("char") + "*");
        return parts.Count == 0 ? "\"\"" : string.Join(" ", parts);
    }

    private string Emit(RegexNode node) => node switch
    {
        RegexAlternation alt => alt.Branches.Count == 1 ? Sequence(alt.Branches[0]) : "( " + string.Join(" | ", alt.Branches.Select(b => OrEmpty(Sequence(b)))) + " )",
        RegexSequence seq => Sequence(seq),
        RegexChars chars => _raw ? RawChars(chars.Set) : Chars(chars.Set),
        RegexRepeat rep => Repeat(rep),
        RegexAnchor => throw new RegexUnsupportedException("an anchor ('^' or '$') inside the pattern"),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    private static string OrEmpty(string s) => s.Length == 0 ? "\"\"" : s;

    private string Sequence(RegexSequence seq)
    {
        // Consecutive literal characters are merged into one quoted literal.
        var parts = new List<string>();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length == 0) return;
            parts.Add(GbnfText.Literal(literal.ToString()));
            literal.Clear();
        }
        foreach (var item in seq.Items)
        {
            if (item is RegexChars { IsLiteral: true } lit)
            {
                literal.Append(_raw ? char.ConvertFromUtf32(lit.Set.Ranges[0].From) : Encode(lit.Set.Ranges[0].From));
                continue;
            }
            Flush();
            var emitted = Emit(item);
            if (emitted.Length > 0) parts.Add(emitted);
        }
        Flush();
        return string.Join(" ", parts);
    }

    private string Repeat(RegexRepeat rep)
    {
        var inner = Emit(rep.Item);
        if (inner.Length == 0) return "";
        // A repeated compound item gets its own rule so the repetition applies to one symbol and stays cheap for llama.cpp.
        var item = IsSingleSymbol(rep.Item, inner) ? inner : _rules.Add($"{_name}-{++_subRules}", inner);
        return GbnfRepetition.Build(item, rep.Min, rep.Max);
    }

    private static bool IsSingleSymbol(RegexNode node, string emitted) =>
        node is RegexChars && !emitted.Contains(" | ", StringComparison.Ordinal) && !emitted.Contains(' ', StringComparison.Ordinal);

    /// <summary>One code point of the set, as itself.</summary>
    private static string RawChars(CharSet set)
    {
        var positive = set.Resolve();
        if (positive.Count == 0) throw new RegexUnsupportedException("a character class that matches no character");
        return GbnfText.CharClass(positive);
    }

    /// <summary>One code point of the set, in its JSON-encoded form.</summary>
    private static string Chars(CharSet set)
    {
        var positive = set.Resolve();
        var alts = new List<string>();
        var raw = CharSet.Subtract(positive, RawForbidden);
        if (raw.Count > 0) alts.Add(GbnfText.CharClass(raw));
        foreach (var (cp, escape) in Escapes)
            if (set.Contains(cp)) alts.Add(GbnfText.Literal(escape));
        if (alts.Count == 0) throw new RegexUnsupportedException("a character class that matches no encodable character");
        return alts.Count == 1 ? alts[0] : "( " + string.Join(" | ", alts) + " )";
    }

    private static string Encode(int cp)
    {
        foreach (var (c, escape) in Escapes)
            if (c == cp) return escape;
        if (cp < 0x20 || cp == 0x7F) return "\\u" + cp.ToString("x4", CultureInfo.InvariantCulture);
        return char.ConvertFromUtf32(cp);
    }
}
