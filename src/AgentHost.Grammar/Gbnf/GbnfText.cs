using System.Globalization;
using System.Text;

namespace AgentHost.Grammar;

/// <summary>
/// Escaping helpers for GBNF text as llama.cpp's grammar parser reads it: quoted literals, character classes
/// and rule names (only <c>[a-zA-Z0-9-]</c>; the parser knows no other escapes than <c>\x \u \U \t \r \n \\ \" \[ \] \-</c>).
/// </summary>
public static class GbnfText
{
    /// <summary>A quoted GBNF literal matching exactly <paramref name="text"/>.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < 0x20 or 0x7F: sb.Append("\\x").Append(rune.Value.ToString("X2", CultureInfo.InvariantCulture)); break;
                default: sb.Append(rune.ToString()); break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>One code point written so that it is safe inside <c>[...]</c>.</summary>
    public static string ClassChar(int codePoint) => codePoint switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        ']' => "\\]",
        '[' => "\\[",
        '-' => "\\-",
        '^' => "\\x5E", // '^' has no escape in GBNF; hex keeps it from meaning negation
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        < 0x20 or 0x7F => "\\x" + codePoint.ToString("X2", CultureInfo.InvariantCulture),
        >= 0xD800 and <= 0xDFFF => "\\u" + codePoint.ToString("X4", CultureInfo.InvariantCulture),
        > 0xFFFF => "\\U" + codePoint.ToString("X8", CultureInfo.InvariantCulture),
        _ => char.ConvertFromUtf32(codePoint),
    };

    /// <summary>A character class for the inclusive code point ranges; <paramref name="negated"/> gives <c>[^...]</c>.</summary>
    public static string CharClass(IEnumerable<(int From, int To)> ranges, bool negated = false)
    {
        var sb = new StringBuilder("[");
        if (negated) sb.Append('^');
        foreach (var (from, to) in ranges)
        {
            sb.Append(ClassChar(from));
            if (to > from) sb.Append('-').Append(ClassChar(to));
        }
        return sb.Append(']').ToString();
    }

    /// <summary>Replaces every run of characters outside <c>[a-zA-Z0-9-]</c> with '-' (llama.cpp's rule-name alphabet).</summary>
    public static string RuleName(string hint)
    {
        var sb = new StringBuilder(hint.Length);
        var lastDash = false;
        foreach (var c in hint)
        {
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-';
            if (ok) { sb.Append(c); lastDash = c == '-'; }
            else if (!lastDash) { sb.Append('-'); lastDash = true; }
        }
        var name = sb.ToString().Trim('-');
        return name.Length == 0 ? "r" : name;
    }

    /// <summary>Whether <paramref name="name"/> is a valid GBNF rule name.</summary>
    public static bool IsValidRuleName(string name) =>
        name.Length > 0 && name.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-');
}
