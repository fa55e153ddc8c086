using System.Text;
using System.Text.Json;

namespace AgentHost.ChatFormats.Parsing;

/// <summary>
/// Python literal text (<c>True</c>, <c>None</c>, <c>['damage', '退款']</c>, <c>{'a': 1}</c>) as JSON. Some templates
/// print argument values with Python's <c>str()</c>, so models trained on them write values that way.
/// </summary>
public static class PythonLiterals
{
    /// <summary>The JSON text for a complete Python literal, or null when it is not one.</summary>
    public static string? ToJson(string text)
    {
        var converted = Convert(text, allowPartial: false);
        if (converted is null) return null;
        try
        {
            using var _ = JsonDocument.Parse(converted);
            return converted;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Best-effort JSON for a literal cut off mid-way (streaming).</summary>
    internal static string ToJsonPrefix(string text) => Convert(text, allowPartial: true) ?? text;

    private static string? Convert(string text, bool allowPartial)
    {
        var sb = new StringBuilder(text.Length + 8);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '\'' or '"')
            {
                var end = ReadString(text, i, sb);
                if (end < 0) return allowPartial ? sb.ToString() : null;
                i = end;
                continue;
            }
            if (char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                var word = text[start..i];
                switch (word)
                {
                    case "True": sb.Append("true"); break;
                    case "False": sb.Append("false"); break;
                    case "None": sb.Append("null"); break;
                    case "true" or "false" or "null": sb.Append(word); break;
                    default: return null;
                }
                continue;
            }
            if (c == '(') { sb.Append('['); i++; continue; }
            if (c == ')') { sb.Append(']'); i++; continue; }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    /// <summary>Reads a quoted string at <paramref name="start"/> and appends it JSON-quoted; returns the index after it, or -1.</summary>
    private static int ReadString(string text, int start, StringBuilder sb)
    {
        var quote = text[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                var e = text[i + 1];
                switch (e)
                {
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case 'r': value.Append('\r'); break;
                    case '\\': value.Append('\\'); break;
                    case '\'': value.Append('\''); break;
                    case '"': value.Append('"'); break;
                    case 'u' when i + 5 < text.Length:
                        value.Append((char)System.Convert.ToInt32(text.Substring(i + 2, 4), 16));
                        i += 4;
                        break;
                    default: value.Append('\\').Append(e); break;
                }
                i += 2;
                continue;
            }
            if (c == quote)
            {
                sb.Append(JsonSerializer.Serialize(value.ToString(), JsonOptions.Relaxed));
                return i + 1;
            }
            value.Append(c);
            i++;
        }
        var partial = JsonSerializer.Serialize(value.ToString(), JsonOptions.Relaxed);
        sb.Append(partial, 0, partial.Length - 1);
        return -1;
    }
}
