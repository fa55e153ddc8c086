namespace AgentHost.Grammar;

/// <summary>A set of Unicode code points as sorted inclusive ranges, optionally negated (a regex character class).</summary>
internal sealed class CharSet
{
    private const int MaxCodePoint = 0x10FFFF;

    public CharSet(IEnumerable<(int From, int To)> ranges, bool negated = false)
    {
        Ranges = Normalize(ranges);
        Negated = negated;
    }

    public IReadOnlyList<(int From, int To)> Ranges { get; }

    public bool Negated { get; }

    public static CharSet Single(int cp) => new([(cp, cp)]);

    public static CharSet Digit => new([('0', '9')]);

    public static CharSet Word => new([('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')]);

    public static CharSet Space => new([('\t', '\r'), (' ', ' ')]);

    /// <summary>Whether the set (taking negation into account) holds <paramref name="cp"/>.</summary>
    public bool Contains(int cp) => Ranges.Any(r => r.From <= cp && cp <= r.To) != Negated;

    /// <summary>The positive ranges of this set (negation resolved), intersected with [0, 0x10FFFF].</summary>
    public IReadOnlyList<(int From, int To)> Resolve()
    {
        if (!Negated) return Ranges;
        var result = new List<(int, int)>();
        var next = 0;
        foreach (var (from, to) in Ranges)
        {
            if (from > next) result.Add((next, from - 1));
            next = Math.Max(next, to + 1);
        }
        if (next <= MaxCodePoint) result.Add((next, MaxCodePoint));
        return result;
    }

    /// <summary>The ranges of this set minus the code points in <paramref name="excluded"/> (both positive).</summary>
    public static List<(int From, int To)> Subtract(IEnumerable<(int From, int To)> ranges, IReadOnlyList<(int From, int To)> excluded)
    {
        var result = new List<(int, int)>();
        foreach (var (from, to) in ranges)
        {
            var pieces = new List<(int From, int To)> { (from, to) };
            foreach (var (xf, xt) in excluded)
            {
                var next = new List<(int, int)>();
                foreach (var (pf, pt) in pieces)
                {
                    if (xt < pf || xf > pt) { next.Add((pf, pt)); continue; }
                    if (pf < xf) next.Add((pf, xf - 1));
                    if (pt > xt) next.Add((xt + 1, pt));
                }
                pieces = next;
            }
            result.AddRange(pieces.Select(p => (p.From, p.To)));
        }
        return result;
    }

    private static List<(int, int)> Normalize(IEnumerable<(int From, int To)> ranges)
    {
        var sorted = ranges.OrderBy(r => r.From).ToList();
        var result = new List<(int From, int To)>();
        foreach (var (from, to) in sorted)
        {
            if (result.Count > 0 && from <= result[^1].To + 1)
                result[^1] = (result[^1].From, Math.Max(result[^1].To, to));
            else
                result.Add((from, to));
        }
        return result.Select(r => (r.From, r.To)).ToList();
    }
}
