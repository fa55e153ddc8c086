namespace AgentHost.Grammar.Tests.Recognizer;

/// <summary>A grammar symbol: a terminal character test or a reference to a rule.</summary>
internal abstract record GbnfSymbol;

/// <summary>One code point from a set of inclusive ranges (negated for <c>[^...]</c>; <c>.</c> is an empty negated set).</summary>
internal sealed record GbnfChar(IReadOnlyList<(int From, int To)> Ranges, bool Negated) : GbnfSymbol
{
    public bool Matches(int cp) => Ranges.Any(r => r.From <= cp && cp <= r.To) != Negated;
}

/// <summary>A reference to rule number <see cref="Rule"/>.</summary>
internal sealed record GbnfRef(int Rule) : GbnfSymbol;

/// <summary>
/// A parsed GBNF grammar in plain BNF form (repetitions and groups already expanded into generated rules, as
/// llama.cpp does), plus the names of the named rules.
/// </summary>
internal sealed class GbnfGrammar
{
    public GbnfGrammar(List<List<List<GbnfSymbol>>> rules, Dictionary<string, int> names)
    {
        Rules = rules;
        Names = names;
        Nullable = ComputeNullable();
    }

    /// <summary>Rules by id: alternatives, each a sequence of symbols.</summary>
    public List<List<List<GbnfSymbol>>> Rules { get; }

    /// <summary>Named rule ids (generated rules have no entry).</summary>
    public Dictionary<string, int> Names { get; }

    /// <summary>Which rules can match the empty string.</summary>
    public bool[] Nullable { get; }

    private bool[] ComputeNullable()
    {
        var nullable = new bool[Rules.Count];
        bool changed;
        do
        {
            changed = false;
            for (var i = 0; i < Rules.Count; i++)
            {
                if (nullable[i]) continue;
                if (Rules[i].Any(alt => alt.All(s => s is GbnfRef r && nullable[r.Rule])))
                {
                    nullable[i] = true;
                    changed = true;
                }
            }
        } while (changed);
        return nullable;
    }

    /// <summary>The first left-recursive rule (llama.cpp rejects such grammars), or null.</summary>
    public string? FindLeftRecursion()
    {
        var visited = new bool[Rules.Count];
        var inProgress = new bool[Rules.Count];
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Detect(i, visited, inProgress))
                return Names.FirstOrDefault(kv => kv.Value == i).Key ?? $"#{i}";
        }
        return null;
    }

    private bool Detect(int rule, bool[] visited, bool[] inProgress)
    {
        if (inProgress[rule]) return true;
        if (visited[rule]) return false;
        visited[rule] = true;
        inProgress[rule] = true;
        foreach (var alt in Rules[rule])
        {
            foreach (var sym in alt)
            {
                if (sym is not GbnfRef r) break;
                if (Detect(r.Rule, visited, inProgress)) return true;
                if (!Nullable[r.Rule]) break;
            }
        }
        inProgress[rule] = false;
        return false;
    }
}
