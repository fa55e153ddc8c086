namespace AgentHost.Gguf.Tests.Support;

/// <summary>
/// An independent IEEE 754 binary16 decoder written from the format definition (sign, 5-bit exponent with bias 15,
/// 10-bit fraction), used to check the library's encodings without trusting <see cref="Half"/>.
/// </summary>
internal static class HalfReference
{
    public static double ToDouble(ushort bits)
    {
        var sign = (bits & 0x8000) != 0 ? -1.0 : 1.0;
        var exponent = (bits >> 10) & 0x1F;
        var fraction = bits & 0x3FF;
        if (exponent == 0) return sign * fraction * Math.Pow(2, -24);                 // zero and subnormals
        if (exponent == 31) return fraction == 0 ? sign * double.PositiveInfinity : double.NaN;
        return sign * (1 + fraction / 1024.0) * Math.Pow(2, exponent - 15);
    }

    /// <summary>Spacing of halves around <paramref name="x"/> (for |x| within the half range).</summary>
    public static double Ulp(double x)
    {
        var magnitude = Math.Abs(x);
        if (magnitude < Math.Pow(2, -14)) return Math.Pow(2, -24);
        var exponent = Math.Floor(Math.Log2(magnitude));
        return Math.Pow(2, exponent - 10);
    }
}
