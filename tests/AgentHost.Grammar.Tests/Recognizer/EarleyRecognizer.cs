namespace AgentHost.Grammar.Tests.Recognizer;

/// <summary>
/// Decides membership of a string in a <see cref="GbnfGrammar"/> language with an Earley parser over Unicode code
/// points (nullable rules handled as in Aycock &amp; Horspool), matching what llama.cpp's sampler can produce.
/// </summary>
internal sealed class EarleyRecognizer
{
    private readonly record struct Item(int Rule, int Alt, int Dot, int Origin);

    private readonly GbnfGrammar _grammar;
    private readonly int _root;

    public EarleyRecognizer(GbnfGrammar grammar, string root = "root")
    {
        _grammar = grammar;
        _root = grammar.Names[root];
    }

    /// <summary>Parses <paramref name="gbnf"/> and returns a recognizer for its <paramref name="root"/> rule.</summary>
    public static EarleyRecognizer FromText(string gbnf, string root = "root") => new(GbnfParser.Parse(gbnf, root), root);

    /// <summary>Whether the whole of <paramref name="text"/> is in the language.</summary>
    public bool Accepts(string text) => Run(text, out var last) && last.Any(i => i.Rule == _root && i.Origin == 0 && IsComplete(i));

    /// <summary>Whether <paramref name="text"/> can be extended to a string in the language (what a sampler can still continue).</summary>
    public bool AcceptsPrefix(string text) => Run(text, out _);

    private bool IsComplete(Item i) => i.Dot == _grammar.Rules[i.Rule][i.Alt].Count;

    /// <summary>One Earley set, with its items indexed by the rule they wait for so completion is a lookup.</summary>
    private sealed class EarleySet
    {
        public HashSet<Item> Items { get; } = [];

        public Dictionary<int, List<Item>> Waiting { get; } = [];
    }

    private bool Run(string text, out HashSet<Item> lastSet)
    {
        var input = text.EnumerateRunes().Select(r => r.Value).ToArray();
        var sets = new List<EarleySet>(input.Length + 1);
        var work = new Stack<Item>();
        void Add(EarleySet set, Item item)
        {
            if (!set.Items.Add(item)) return;
            work.Push(item);
            var alt = _grammar.Rules[item.Rule][item.Alt];
            if (item.Dot < alt.Count && alt[item.Dot] is GbnfRef r)
            {
                if (!set.Waiting.TryGetValue(r.Rule, out var list)) set.Waiting[r.Rule] = list = [];
                list.Add(item);
            }
        }

        var first = new EarleySet();
        sets.Add(first);
        for (var a = 0; a < _grammar.Rules[_root].Count; a++) Add(first, new Item(_root, a, 0, 0));
        for (var pos = 0; ; pos++)
        {
            Close(sets, pos, work, Add);
            if (pos == input.Length) break;
            var next = new EarleySet();
            sets.Add(next);
            foreach (var item in sets[pos].Items)
            {
                var alt = _grammar.Rules[item.Rule][item.Alt];
                if (item.Dot < alt.Count && alt[item.Dot] is GbnfChar ch && ch.Matches(input[pos]))
                    Add(next, item with { Dot = item.Dot + 1 });
            }
            if (next.Items.Count == 0)
            {
                lastSet = [];
                return false;
            }
        }
        lastSet = sets[^1].Items;
        return true;
    }

    private void Close(List<EarleySet> sets, int pos, Stack<Item> work, Action<EarleySet, Item> add)
    {
        var set = sets[pos];
        while (work.Count > 0)
        {
            var item = work.Pop();
            var alt = _grammar.Rules[item.Rule][item.Alt];
            if (item.Dot < alt.Count)
            {
                if (alt[item.Dot] is GbnfRef r)
                {
                    for (var a = 0; a < _grammar.Rules[r.Rule].Count; a++) add(set, new Item(r.Rule, a, 0, pos));
                    if (_grammar.Nullable[r.Rule]) add(set, item with { Dot = item.Dot + 1 });
                }
            }
            else if (sets[item.Origin].Waiting.TryGetValue(item.Rule, out var waiting))
            {
                // Completion: advance every item in the origin set waiting on this rule.
                foreach (var w in waiting.ToArray()) add(set, w with { Dot = w.Dot + 1 });
            }
        }
    }
}
