using System.Numerics;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>
/// The range keywords of a number/integer schema reduced to integral bounds. A non-integral bound is rounded inward
/// and made inclusive (x &gt;= 1.5 becomes x &gt;= 2): the grammar then accepts a subset of the valid numbers, never more.
/// </summary>
internal readonly record struct NumericBounds(BigInteger? Min, bool MinExclusive, BigInteger? Max, bool MaxExclusive)
{
    // A lower bound below -1e16 (or an upper bound above 1e16) cannot exclude anything the 16-digit number rules write.
    private const decimal Limit = 1e16m;

    public bool IsUnbounded => Min is null && Max is null;

    /// <summary>Reads minimum/maximum/exclusiveMinimum/exclusiveMaximum (draft-4 boolean and draft-6+ numeric forms).</summary>
    public static NumericBounds Read(JsonObject schema, string path)
    {
        var minimum = SchemaReader.Number(schema, "minimum", path);
        var maximum = SchemaReader.Number(schema, "maximum", path);
        decimal? exMin = null, exMax = null;
        if (IsBool(schema, "exclusiveMinimum"))
        {
            if (SchemaReader.Bool(schema, "exclusiveMinimum", path) == true) (exMin, minimum) = (minimum, null);
        }
        else exMin = SchemaReader.Number(schema, "exclusiveMinimum", path);
        if (IsBool(schema, "exclusiveMaximum"))
        {
            if (SchemaReader.Bool(schema, "exclusiveMaximum", path) == true) (exMax, maximum) = (maximum, null);
        }
        else exMax = SchemaReader.Number(schema, "exclusiveMaximum", path);

        var (min, minEx) = Lower(minimum, exMin);
        var (max, maxEx) = Upper(maximum, exMax);
        return new NumericBounds(min, minEx, max, maxEx);
    }

    /// <summary>The same bounds for integers: exclusive bounds become inclusive ones.</summary>
    public NumericBounds ForIntegers() => new(
        Min is { } a && MinExclusive ? a + 1 : Min, false,
        Max is { } b && MaxExclusive ? b - 1 : Max, false);

    /// <summary>Whether no value can satisfy the bounds (integers when <paramref name="integers"/>).</summary>
    public bool IsEmpty(bool integers)
    {
        if (Min is null || Max is null) return false;
        if (integers) { var i = ForIntegers(); return i.Min > i.Max; }
        return Min > Max || (Min == Max && (MinExclusive || MaxExclusive));
    }

    private static bool IsBool(JsonObject schema, string key) =>
        schema.TryGetPropertyValue(key, out var n) && n is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False;

    private static (BigInteger?, bool) Lower(decimal? inclusive, decimal? exclusive)
    {
        (BigInteger? Value, bool Ex) best = (null, false);
        if (inclusive is { } i && i > -Limit) best = (new BigInteger(decimal.Ceiling(i)), false);
        if (exclusive is { } e && e > -Limit)
        {
            (BigInteger V, bool Ex) c = e == decimal.Truncate(e) ? (new BigInteger(e), true) : (new BigInteger(decimal.Ceiling(e)), false);
            if (best.Value is null || c.V > best.Value || (c.V == best.Value && c.Ex)) best = (c.V, c.Ex);
        }
        return best;
    }

    private static (BigInteger?, bool) Upper(decimal? inclusive, decimal? exclusive)
    {
        (BigInteger? Value, bool Ex) best = (null, false);
        if (inclusive is { } i && i < Limit) best = (new BigInteger(decimal.Floor(i)), false);
        if (exclusive is { } e && e < Limit)
        {
            (BigInteger V, bool Ex) c = e == decimal.Truncate(e) ? (new BigInteger(e), true) : (new BigInteger(decimal.Floor(e)), false);
            if (best.Value is null || c.V < best.Value || (c.V == best.Value && c.Ex)) best = (c.V, c.Ex);
        }
        return best;
    }
}
