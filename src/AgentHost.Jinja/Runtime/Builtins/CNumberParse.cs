using System.Globalization;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>std::stoi / std::stod semantics: leading whitespace, longest valid prefix, failure or overflow → null.</summary>
internal static class CNumberParse
{
    public static long? StoI(string s, int numberBase)
    {
        var i = 0;
        while (i < s.Length && JinjaString.IsCSpace(s[i])) i++;
        var negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }
        var hasHexPrefix = i + 1 < s.Length && s[i] == '0' && s[i + 1] is 'x' or 'X' && i + 2 < s.Length && DigitValue(s[i + 2]) < 16;
        if (numberBase == 0) numberBase = hasHexPrefix ? 16 : i < s.Length && s[i] == '0' ? 8 : 10;
        if (numberBase == 16 && hasHexPrefix) i += 2;
        long value = 0;
        var digits = 0;
        for (; i < s.Length; i++)
        {
            var d = DigitValue(s[i]);
            if (d >= numberBase) break;
            value = value * numberBase + d;
            if (value > (long)int.MaxValue + 1) return null; // out_of_range
            digits++;
        }
        if (digits == 0) return null;
        if (negative) value = -value;
        return value is < int.MinValue or > int.MaxValue ? null : value;
    }

    public static double? StrToD(string s)
    {
        var i = 0;
        while (i < s.Length && JinjaString.IsCSpace(s[i])) i++;
        var start = i;
        if (i < s.Length && s[i] is '+' or '-') i++;
        var rest = s[i..];
        if (rest.StartsWith("inf", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("nan", StringComparison.OrdinalIgnoreCase))
        {
            var negative = s[start] == '-';
            return rest.StartsWith("nan", StringComparison.OrdinalIgnoreCase)
                ? double.NaN
                : negative ? double.NegativeInfinity : double.PositiveInfinity;
        }
        var mantissaDigits = 0;
        var nonZero = false;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { nonZero |= s[i] != '0'; i++; mantissaDigits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { nonZero |= s[i] != '0'; i++; mantissaDigits++; }
        }
        if (mantissaDigits == 0) return null;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < s.Length && s[j] is '+' or '-') j++;
            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                i = j;
            }
        }
        var value = double.Parse(s[start..i], NumberStyles.Float, CultureInfo.InvariantCulture);
        // ERANGE (overflow or underflow) makes std::stod throw
        if (double.IsInfinity(value) || (value == 0 && nonZero)) return null;
        return value;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => 99,
    };
}
