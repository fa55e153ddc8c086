using System.Globalization;

namespace AgentHost.Jinja.Runtime;

/// <summary>C/C++ number formatting that the rendered text depends on.</summary>
internal static class NumberFormat
{
    /// <summary>std::to_string(double) ("%f"), then trailing zeros dropped keeping one decimal: 0.5, 2.0, 0.333333.</summary>
    public static string StdToStringTrimmed(double v)
    {
        var s = CFixed6(v);
        var end = s.Length;
        while (end > 0 && s[end - 1] == '0') end--;
        s = s[..end];
        if (s.Length > 0 && s[^1] == '.') s += "0";
        return s;
    }

    /// <summary>
    /// static_cast&lt;int64_t&gt;(double) as compiled for x86-64 (cvttsd2si): NaN and out-of-range values
    /// become INT64_MIN, where .NET would saturate. llama.cpp computes integer arithmetic this way.
    /// </summary>
    public static long CInt64(double d) =>
        double.IsNaN(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0 ? long.MinValue : (long)d;

    /// <summary>"%f".</summary>
    public static string CFixed6(double v)
    {
        if (double.IsNaN(v)) return BitConverter.DoubleToInt64Bits(v) < 0 ? "-nan" : "nan";
        if (double.IsInfinity(v)) return v < 0 ? "-inf" : "inf";
        return v.ToString("F6", CultureInfo.InvariantCulture);
    }

    /// <summary>std::ostream &lt;&lt; double with default settings ("%g", precision 6): 3.14159, 1e+20, 0.0001.</summary>
    public static string CGeneral6(double v)
    {
        if (double.IsNaN(v)) return BitConverter.DoubleToInt64Bits(v) < 0 ? "-nan" : "nan";
        if (double.IsInfinity(v)) return v < 0 ? "-inf" : "inf";
        if (v == 0) return BitConverter.DoubleToInt64Bits(v) < 0 ? "-0" : "0";

        const int precision = 6;
        // Round to 6 significant digits first; the exponent of the rounded value picks the style.
        var e = v.ToString("E5", CultureInfo.InvariantCulture); // d.dddddE+xxx
        var exponent = int.Parse(e[(e.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
        {
            var mantissa = TrimFraction(e[..e.IndexOf('E')]);
            var sign = exponent < 0 ? "-" : "+";
            var digits = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            return $"{mantissa}e{sign}{digits}";
        }
        var decimals = precision - 1 - exponent;
        return TrimFraction(v.ToString("F" + decimals, CultureInfo.InvariantCulture));
    }

    private static string TrimFraction(string s)
    {
        if (!s.Contains('.')) return s;
        s = s.TrimEnd('0');
        return s.EndsWith('.') ? s[..^1] : s;
    }
}
