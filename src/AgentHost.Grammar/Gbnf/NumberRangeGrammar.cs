using System.Globalization;
using System.Numerics;

namespace AgentHost.Grammar;

/// <summary>
/// GBNF for JSON numbers between integral bounds (inclusive or exclusive). The integer part is constrained with
/// <see cref="IntegerRangeGrammar"/>; at an inclusive upper end only a zero fraction is allowed and at an exclusive
/// lower end only a non-zero one. Exponents are left out: a sound restriction, every accepted number is in range.
/// </summary>
internal static class NumberRangeGrammar
{
    private const string Fraction = """( "." decimal-part )?""";
    private const string ZeroFraction = """( "." [0]{1,16} )?""";
    private const string NonZeroFraction = "\".\" [0-9]{0,15} [1-9]";

    /// <summary>A number within the bounds; returns null when no number satisfies them.</summary>
    public static string? Build(NumericBounds bounds)
    {
        var (min, minEx, max, maxEx) = (bounds.Min, bounds.MinExclusive, bounds.Max, bounds.MaxExclusive);
        var parts = new List<string>();
        if (min is null || min < 0)
        {
            // x < 0 written as "-" m with m > 0; x >= min becomes m <= -min, x <= max (max < 0) becomes m >= -max.
            var (low, lowEx) = max is { } mx && (mx < 0 || (mx == 0 && maxEx)) ? (-mx, maxEx || mx == 0) : (BigInteger.Zero, true);
            var side = NonNegative(low, lowEx, min is null ? null : -min.Value, minEx);
            if (side is not null) parts.Add($"\"-\" ( {side} )");
        }
        if (max is null || max > 0 || (max == 0 && !maxEx))
        {
            var (low, lowEx) = min is { } mn && mn >= 0 ? (mn, minEx) : (BigInteger.Zero, false);
            var side = NonNegative(low, lowEx, max, maxEx);
            if (side is not null) parts.Add(side);
        }
        return parts.Count == 0 ? null : string.Join(" | ", parts);
    }

    private static string? NonNegative(BigInteger low, bool lowEx, BigInteger? high, bool highEx)
    {
        var alts = new List<string>();
        var start = low;
        if (lowEx)
        {
            if (high is null || low < high) alts.Add($"\"{Str(low)}\" {NonZeroFraction}");
            start = low + 1;
        }
        if (high is null)
        {
            alts.Add($"( {IntegerRangeGrammar.NonNegative(start, null)} ) {Fraction}");
        }
        else
        {
            if (start <= high.Value - 1) alts.Add($"( {IntegerRangeGrammar.NonNegative(start, high.Value - 1)} ) {Fraction}");
            if (!highEx && start <= high.Value) alts.Add($"\"{Str(high.Value)}\" {ZeroFraction}");
        }
        return alts.Count == 0 ? null : string.Join(" | ", alts);
    }

    private static string Str(BigInteger n) => n.ToString(CultureInfo.InvariantCulture);
}
