using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Peg;

/// <summary>
/// Writes the GBNF grammar of a PEG tree. Named rules become GBNF rules; in lazy mode only the trigger rules (and what
/// they use) are written, and the root is their alternation, since the grammar starts at a trigger word.
/// </summary>
public sealed class PegGrammarWriter
{
    private readonly GbnfRuleSet _rules = new();
    private readonly Dictionary<PegRule, string> _ruleNames = [];
    private readonly Dictionary<string, string> _automata = new(StringComparer.Ordinal);
    private readonly JsonSchemaGrammarOptions _schemaOptions;
    private string? _space;

    private PegGrammarWriter(JsonSchemaGrammarOptions schemaOptions)
    {
        _schemaOptions = schemaOptions;
        _rules.ReserveNames(["root"]);
    }

    /// <summary>The GBNF text of <paramref name="root"/>, or of its trigger rules with <paramref name="lazy"/>.</summary>
    public static string Write(PegNode root, bool lazy, JsonSchemaGrammarOptions? schemaOptions = null)
    {
        var writer = new PegGrammarWriter(schemaOptions ?? new JsonSchemaGrammarOptions { Whitespace = JsonWhitespace.Bounded });
        string body;
        if (lazy)
        {
            var triggers = PegWalker.Rules(root).Where(r => r.Trigger).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
            if (triggers.Count == 0) throw new InvalidOperationException("A lazy grammar needs at least one trigger rule.");
            body = string.Join(" | ", triggers.Select(writer.RuleName));
        }
        else
        {
            body = root.ToGbnf(writer);
            if (root.Effective is PegChoice && body.Length > 0) body = "(" + body + ")";
        }
        writer._rules.Define("root", body.Length == 0 ? "\"\"" : body);
        return writer._rules.Format("root");
    }

    // llama.cpp's bounded whitespace: a weak model cannot spend its token budget on blank lines between markers.
    internal string SpaceRule => _space ??= _rules.Add("space", "( \" \" | \"\\n\"{1,2} [ \\t]{0,20} )?");

    internal string RuleName(PegRule rule)
    {
        if (_ruleNames.TryGetValue(rule, out var name)) return name;
        name = _rules.Reserve(rule.Name);
        _ruleNames[rule] = name;
        var body = rule.Body?.ToGbnf(this) ?? throw new InvalidOperationException($"PEG rule '{rule.Name}' has no body.");
        _rules.Define(name, body.Length == 0 ? "\"\"" : body);
        return name;
    }

    internal string SchemaRule(string name, JsonNode schema) =>
        JsonSchemaGrammar.AddSchema(_rules, name, schema, _schemaOptions, "#/" + name);

    /// <summary>The raw-text rule of a string schema, or null when it constrains nothing a raw grammar enforces.</summary>
    internal string? RawStringRule(string name, JsonNode schema, string excludedChars) =>
        RawStringGrammar.Add(_rules, name, schema, excludedChars, "#/" + name);

    internal static string Quantifier(int min, int max) => (min, max) switch
    {
        (0, 1) => "?",
        (0, -1) => "*",
        (1, -1) => "+",
        (1, 1) => "",
        (_, -1) => "{" + min.ToString(CultureInfo.InvariantCulture) + ",}",
        _ when min == max => "{" + min.ToString(CultureInfo.InvariantCulture) + "}",
        _ => "{" + min.ToString(CultureInfo.InvariantCulture) + "," + max.ToString(CultureInfo.InvariantCulture) + "}",
    };

    /// <summary>Text in which none of <paramref name="delimiters"/> occurs.</summary>
    internal string ExcludingRule(IReadOnlyList<string> delimiters) => Automaton("until", delimiters, including: false);

    /// <summary>Text up to and including the first occurrence of any of <paramref name="delimiters"/>.</summary>
    internal string IncludingRule(IReadOnlyList<string> delimiters) => Automaton("until-incl", delimiters, including: true);

    /// <summary>
    /// One rule per state of the Aho-Corasick automaton of the delimiters (right-recursive, so llama.cpp's grammar stacks
    /// stay flat). A transition into a state where a delimiter is complete ends the text (including) or is not allowed
    /// (excluding).
    /// </summary>
    private string Automaton(string hint, IReadOnlyList<string> delimiters, bool including)
    {
        var key = (including ? "+" : "-") + string.Join("\u0000", delimiters);
        if (_automata.TryGetValue(key, out var existing)) return existing;
        var ac = new AhoCorasick(delimiters);
        var names = new string[ac.StateCount];
        for (var s = 0; s < names.Length; s++) names[s] = _rules.Reserve(hint + "-" + s.ToString(CultureInfo.InvariantCulture));
        _automata[key] = names[0];
        var alphabet = ac.Alphabet;
        var others = new StringBuilder("[^");
        foreach (var c in alphabet) others.Append(GbnfText.ClassChar(c));
        others.Append(']');
        for (var s = 0; s < names.Length; s++)
        {
            if (ac.IsAccepting(s)) { _rules.Define(names[s], "\"\""); continue; }
            var alts = new List<string>();
            foreach (var c in alphabet)
            {
                var t = ac.Next(s, c);
                var lit = GbnfText.Literal(char.ConvertFromUtf32(c));
                if (ac.IsAccepting(t))
                {
                    if (including) alts.Add(lit);
                }
                else
                {
                    alts.Add(lit + " " + names[t]);
                }
            }
            alts.Add(others + " " + names[0]);
            if (!including) alts.Add("\"\"");
            _rules.Define(names[s], string.Join(" | ", alts));
        }
        return names[0];
    }

    /// <summary>Multi-pattern automaton over code points.</summary>
    private sealed class AhoCorasick
    {
        private readonly List<Dictionary<int, int>> _goto = [new()];
        private readonly List<int> _fail = [0];
        private readonly List<bool> _accept = [false];

        public AhoCorasick(IReadOnlyList<string> patterns)
        {
            var alphabet = new SortedSet<int>();
            foreach (var p in patterns)
            {
                if (p.Length == 0) throw new ArgumentException("An empty delimiter never ends the text.", nameof(patterns));
                var s = 0;
                foreach (var rune in p.EnumerateRunes())
                {
                    alphabet.Add(rune.Value);
                    if (!_goto[s].TryGetValue(rune.Value, out var t))
                    {
                        t = _goto.Count;
                        _goto.Add([]);
                        _fail.Add(0);
                        _accept.Add(false);
                        _goto[s][rune.Value] = t;
                    }
                    s = t;
                }
                _accept[s] = true;
            }
            Alphabet = [.. alphabet];
            var queue = new Queue<int>();
            foreach (var t in _goto[0].Values) queue.Enqueue(t);
            while (queue.Count > 0)
            {
                var s = queue.Dequeue();
                foreach (var (c, t) in _goto[s])
                {
                    var f = _fail[s];
                    while (f != 0 && !_goto[f].ContainsKey(c)) f = _fail[f];
                    _fail[t] = _goto[f].TryGetValue(c, out var ft) && ft != t ? ft : 0;
                    _accept[t] |= _accept[_fail[t]];
                    queue.Enqueue(t);
                }
            }
        }

        public IReadOnlyList<int> Alphabet { get; }

        public int StateCount => _goto.Count;

        public bool IsAccepting(int s) => _accept[s];

        public int Next(int s, int c)
        {
            while (true)
            {
                if (_goto[s].TryGetValue(c, out var t)) return t;
                if (s == 0) return 0;
                s = _fail[s];
            }
        }
    }
}

/// <summary>Walks a PEG tree (rules visited once).</summary>
internal static class PegWalker
{
    public static IEnumerable<PegRule> Rules(PegNode root)
    {
        var seen = new HashSet<PegNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<PegNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            if (n is PegRule r) yield return r;
            foreach (var c in Children(n)) stack.Push(c);
        }
    }

    private static IEnumerable<PegNode> Children(PegNode n) => n switch
    {
        PegSequence s => s.Children,
        PegChoice c => c.Children,
        PegRepeat r => [r.Child],
        PegTag t => [t.Child],
        PegSchema s => [s.Child],
        PegRule r when r.Body is not null => [r.Body],
        PegPeek p => [p.Child],
        PegNot x => [x.Child],
        PegAtomic a => [a.Child],
        PegGbnf g => [g.Child],
        PegUntilIncluding u => [u.Child],
        PegGrammarOf g => [g.Child, g.Grammar],
        PegRawString r => [r.Fallback, r.Close],
        _ => [],
    };
}
