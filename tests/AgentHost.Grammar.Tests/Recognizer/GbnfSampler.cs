using System.Text;

namespace AgentHost.Grammar.Tests.Recognizer;

/// <summary>
/// Draws random strings from a <see cref="GbnfGrammar"/> language (like an unconstrained model under the grammar
/// sampler would), so tests can check that everything a grammar allows is valid for its schema.
/// </summary>
internal sealed class GbnfSampler
{
    private static readonly int[] NegatedPool = BuildPool();

    private readonly GbnfGrammar _grammar;
    private readonly Random _random;
    private readonly int[] _height;

    public GbnfSampler(GbnfGrammar grammar, int seed)
    {
        _grammar = grammar;
        _random = new Random(seed);
        _height = ComputeHeights();
    }

    /// <summary>One random string of the language of <paramref name="root"/>.</summary>
    public string Sample(string root = "root")
    {
        var sb = new StringBuilder();
        var budget = 4000;
        Expand(_grammar.Names[root], sb, 0, ref budget);
        return sb.ToString();
    }

    private void Expand(int rule, StringBuilder sb, int depth, ref int budget)
    {
        var alts = _grammar.Rules[rule];
        int choice;
        if (depth > 40 || budget <= 0)
        {
            // Deep or long already: take the alternative that terminates soonest.
            choice = Enumerable.Range(0, alts.Count).MinBy(a => AltHeight(alts[a]));
        }
        else
        {
            var finite = Enumerable.Range(0, alts.Count).Where(a => AltHeight(alts[a]) < int.MaxValue).ToList();
            choice = finite[_random.Next(finite.Count)];
        }
        foreach (var sym in alts[choice])
        {
            budget--;
            switch (sym)
            {
                case GbnfChar ch: sb.Append(char.ConvertFromUtf32(PickChar(ch))); break;
                case GbnfRef r: Expand(r.Rule, sb, depth + 1, ref budget); break;
            }
        }
    }

    private int PickChar(GbnfChar ch)
    {
        if (!ch.Negated)
        {
            var (from, to) = ch.Ranges[_random.Next(ch.Ranges.Count)];
            // Favour the ends of wide ranges so surrogates and odd planes are rare but boundaries get exercised.
            var span = Math.Min(to - from, 200);
            var cp = from + _random.Next(span + 1);
            return cp is >= 0xD800 and <= 0xDFFF ? 'a' : cp;
        }
        for (var tries = 0; tries < 1000; tries++)
        {
            var cp = NegatedPool[_random.Next(NegatedPool.Length)];
            if (ch.Matches(cp)) return cp;
        }
        throw new InvalidOperationException("no character found for a negated class");
    }

    private int AltHeight(List<GbnfSymbol> alt)
    {
        var h = 0;
        foreach (var s in alt)
        {
            if (s is GbnfRef r)
            {
                if (_height[r.Rule] == int.MaxValue) return int.MaxValue;
                h = Math.Max(h, _height[r.Rule] + 1);
            }
        }
        return h;
    }

    private int[] ComputeHeights()
    {
        var heights = Enumerable.Repeat(int.MaxValue, _grammar.Rules.Count).ToArray();
        bool changed;
        do
        {
            changed = false;
            for (var i = 0; i < heights.Length; i++)
            {
                foreach (var alt in _grammar.Rules[i])
                {
                    var h = 0;
                    foreach (var s in alt)
                    {
                        if (s is not GbnfRef r) continue;
                        if (heights[r.Rule] == int.MaxValue) { h = int.MaxValue; break; }
                        h = Math.Max(h, heights[r.Rule] + 1);
                    }
                    if (h < heights[i]) { heights[i] = h; changed = true; }
                }
            }
        } while (changed);
        return heights;
    }

    private static int[] BuildPool()
    {
        var pool = new List<int>();
        for (var c = 0x20; c < 0x7F; c++) pool.Add(c);
        pool.AddRange([0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0xE9, 0x4E2D, 0x1F600]);
        return pool.ToArray();
    }
}
