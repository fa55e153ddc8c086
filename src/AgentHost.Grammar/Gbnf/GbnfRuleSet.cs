using System.Text;

namespace AgentHost.Grammar;

/// <summary>
/// An ordered set of named GBNF rules. Adding a rule under a name that already holds a different body picks a fresh
/// name (<c>name1</c>, <c>name2</c>...), and identical bodies are shared, so generated grammars stay small.
/// </summary>
public sealed class GbnfRuleSet
{
    private readonly Dictionary<string, string?> _rules = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);

    /// <summary>Number of rules (defined or reserved).</summary>
    public int Count => _order.Count;

    /// <summary>Whether a rule with that exact name exists or is reserved.</summary>
    public bool Contains(string name) => _rules.ContainsKey(name);

    /// <summary>The body of a defined rule, or null.</summary>
    public string? this[string name] => _rules.GetValueOrDefault(name);

    /// <summary>
    /// Keeps <paramref name="names"/> away from <see cref="Add"/>: a hint equal to one of them gets another name.
    /// Used for fixed-name rules (primitives such as <c>space</c> and <c>string</c>) that may be defined later.
    /// </summary>
    public void ReserveNames(IEnumerable<string> names)
    {
        foreach (var n in names) _reserved.Add(n);
    }

    /// <summary>Adds <paramref name="body"/> under a name derived from <paramref name="nameHint"/>; returns the name used.</summary>
    public string Add(string nameHint, string body)
    {
        var baseName = GbnfText.RuleName(nameHint);
        for (var i = 0; ; i++)
        {
            var name = i == 0 ? baseName : baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_reserved.Contains(name)) continue;
            if (!_rules.TryGetValue(name, out var existing))
            {
                Put(name, body);
                return name;
            }
            if (existing == body) return name;
        }
    }

    /// <summary>Claims a fresh name now and defines it later with <see cref="Define"/> (needed for recursive rules).</summary>
    public string Reserve(string nameHint)
    {
        var baseName = GbnfText.RuleName(nameHint);
        for (var i = 0; ; i++)
        {
            var name = i == 0 ? baseName : baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_reserved.Contains(name) || _rules.ContainsKey(name)) continue;
            Put(name, null);
            return name;
        }
    }

    /// <summary>
    /// Defines a rule under exactly <paramref name="name"/> (a reserved or fixed name). Redefining with the same body is a
    /// no-op; a different body is a programming error.
    /// </summary>
    public void Define(string name, string body)
    {
        if (!GbnfText.IsValidRuleName(name)) throw new ArgumentException($"Invalid GBNF rule name '{name}'.", nameof(name));
        if (_rules.TryGetValue(name, out var existing))
        {
            if (existing is null) { _rules[name] = body; return; }
            if (existing != body) throw new InvalidOperationException($"GBNF rule '{name}' is already defined differently.");
            return;
        }
        Put(name, body);
    }

    /// <summary>Formats the grammar text, <paramref name="rootName"/> first and then the other rules in insertion order.</summary>
    public string Format(string rootName = "root")
    {
        if (!_rules.ContainsKey(rootName)) throw new InvalidOperationException($"Start rule '{rootName}' is not defined.");
        var sb = new StringBuilder();
        foreach (var name in _order.Where(n => n == rootName).Concat(_order.Where(n => n != rootName)))
        {
            var body = _rules[name] ?? throw new InvalidOperationException($"GBNF rule '{name}' was reserved but never defined.");
            sb.Append(name).Append(" ::= ").Append(body).Append('\n');
        }
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => string.Join("\n", _order.Select(n => $"{n} ::= {_rules[n]}"));

    private void Put(string name, string? body)
    {
        _rules[name] = body;
        _order.Add(name);
    }
}
