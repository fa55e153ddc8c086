using System.Globalization;

namespace AgentHost.Grammar;

/// <summary>Builds bounded/unbounded repetitions of a GBNF item, optionally with a separator between items.</summary>
internal static class GbnfRepetition
{
    /// <summary>
    /// llama.cpp refuses <c>{m,n}</c> above 2000 (MAX_REPETITION_THRESHOLD) and silently drops larger maxima, so callers
    /// clamp to this value (a sound restriction: every accepted text still satisfies the original bound).
    /// </summary>
    public const int MaxRepetition = 2000;

    /// <summary>
    /// <paramref name="item"/> repeated between <paramref name="min"/> and <paramref name="max"/> (null: unbounded) times.
    /// <paramref name="item"/> must be a single GBNF symbol (a rule name, literal or class) so the count applies to all of it.
    /// Returns an empty string when <paramref name="max"/> is 0.
    /// </summary>
    public static string Build(string item, int min, int? max, string? separator = null)
    {
        if (max == 0) return "";
        if (separator is null)
        {
            return (min, max) switch
            {
                (0, 1) => item + "?",
                (0, null) => item + "*",
                (1, null) => item + "+",
                (_, null) => $"{item}{{{Str(min)},}}",
                _ when min == max => $"{item}{{{Str(min)}}}",
                _ => $"{item}{{{Str(min)},{Str(max!.Value)}}}",
            };
        }
        var rest = Build($"( {separator} {item} )", Math.Max(min - 1, 0), max - 1);
        var seq = rest.Length == 0 ? item : $"{item} {rest}";
        return min == 0 ? $"( {seq} )?" : seq;
    }

    private static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);
}
