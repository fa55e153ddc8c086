using System.Globalization;
using System.Numerics;
using System.Text;

namespace AgentHost.Grammar;

/// <summary>
/// GBNF expressions for decimal integers inside an inclusive range, built digit by digit
/// (e.g. 15..42 becomes <c>"1" [5-9] | [2-3] [0-9] | "4" [0-2]</c>). Unbounded sides stop at 16 digits,
/// like the plain integer rule.
/// </summary>
internal static class IntegerRangeGrammar
{
    private const int MaxDigits = 16;

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>]; null means unbounded on that side.</summary>
    public static string Build(BigInteger? min, BigInteger? max)
    {
        if (min is null && max is null) return """ "-"? integral-part """.Trim();
        var parts = new List<string>();
        // Negative side: "-" followed by a magnitude.
        if (min is null || min < 0)
        {
            var magLow = max is { } mx && mx < 0 ? -mx : 1;
            BigInteger? magHigh = min is null ? null : -min.Value;
            parts.Add($"\"-\" ( {NonNegative(magLow, magHigh)} )");
        }
        if (max is null || max >= 0)
        {
            var low = min is { } mn && mn > 0 ? mn : 0;
            parts.Add(NonNegative(low, max));
        }
        return string.Join(" | ", parts);
    }

    /// <summary>A non-negative integer (no leading zeros) in [low, high]; null high means unbounded.</summary>
    public static string NonNegative(BigInteger low, BigInteger? high)
    {
        var alts = new List<string>();
        var lowDigits = Digits(low);
        // Unbounded: exact range up to the low bound's digit count, then any longer number in one alternative.
        var highDigits = high is { } h ? Digits(h) : lowDigits;
        for (var d = lowDigits; d <= highDigits; d++)
        {
            var from = BigInteger.Max(low, d == 1 ? 0 : BigInteger.Pow(10, d - 1));
            var to = BigInteger.Pow(10, d) - 1;
            if (high is { } hh && hh < to) to = hh;
            if (from > to) continue;
            alts.Add(SameLength(from.ToString(CultureInfo.InvariantCulture), to.ToString(CultureInfo.InvariantCulture)));
        }
        if (high is null && lowDigits < MaxDigits)
            alts.Add($"[1-9] [0-9]{{{lowDigits.ToString(CultureInfo.InvariantCulture)},{(MaxDigits - 1).ToString(CultureInfo.InvariantCulture)}}}");
        return alts.Count == 0 ? "[0]" : string.Join(" | ", alts);
    }

    private static int Digits(BigInteger n) => n.IsZero ? 1 : n.ToString(CultureInfo.InvariantCulture).Length;

    /// <summary>Numbers with the same digit count between <paramref name="lo"/> and <paramref name="hi"/>.</summary>
    private static string SameLength(string lo, string hi)
    {
        if (lo.Length == 0) return "";
        var p = 0;
        while (p < lo.Length && lo[p] == hi[p]) p++;
        if (p == lo.Length) return Lit(lo);
        var prefix = p > 0 ? Lit(lo[..p]) + " " : "";
        var n = lo.Length - p - 1;
        char a = lo[p], b = hi[p];
        if (n == 0) return prefix + Range(a, b);
        string loRest = lo[(p + 1)..], hiRest = hi[(p + 1)..];
        var zeros = new string('0', n);
        var nines = new string('9', n);
        var alts = new List<string>();
        var midFrom = a;
        var midTo = b;
        if (loRest != zeros)
        {
            alts.Add($"{Lit(a.ToString())} ( {SameLength(loRest, nines)} )");
            midFrom = (char)(a + 1);
        }
        var hiAlt = hiRest != nines ? $"{Lit(b.ToString())} ( {SameLength(zeros, hiRest)} )" : null;
        if (hiAlt is not null) midTo = (char)(b - 1);
        if (midFrom <= midTo) alts.Add($"{Range(midFrom, midTo)} {AnyDigits(n)}");
        if (hiAlt is not null) alts.Add(hiAlt);
        return prefix + (alts.Count == 1 ? alts[0] : "( " + string.Join(" | ", alts) + " )");
    }

    private static string AnyDigits(int n) => n == 1 ? "[0-9]" : $"[0-9]{{{n.ToString(CultureInfo.InvariantCulture)}}}";

    private static string Range(char a, char b) => a == b ? $"[{a}]" : $"[{a}-{b}]";

    private static string Lit(string s) => new StringBuilder("\"").Append(s).Append('"').ToString();
}
