using System.Globalization;
using System.Text;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>
/// llama.cpp's value_to_json: keys in insertion order, Python-style default separators
/// (", " and ": "), newlines but no spaces for indent 0, floats printed like C++ streams (%g).
/// </summary>
internal static class JsonWriter
{
    public static string Write(Value v, int indent = -1, string itemSep = ", ", string keySep = ": ", bool ensureAscii = false)
    {
        var sb = new StringBuilder();
        WriteValue(sb, v, 0, indent, itemSep, keySep);
        return ensureAscii ? EscapeNonAscii(sb.ToString()) : sb.ToString();
    }

    private static void WriteValue(StringBuilder sb, Value v, int level, int indent, string itemSep, string keySep)
    {
        switch (v)
        {
            case NoneValue or UndefinedValue:
                sb.Append("null");
                break;
            case BoolValue b:
                sb.Append(b.AsBool() ? "true" : "false");
                break;
            case IntValue i:
                sb.Append(i.ValInt.ToString(CultureInfo.InvariantCulture));
                break;
            case FloatValue f:
                sb.Append(NumberFormat.CGeneral6(f.ValFlt));
                break;
            case StringValue s:
                WriteString(sb, s.Str);
                break;
            case ArrayValue a:
                sb.Append('[');
                if (a.Items.Count > 0)
                {
                    NewLine(sb, indent);
                    for (var i = 0; i < a.Items.Count; i++)
                    {
                        Indent(sb, indent, level + 1);
                        WriteValue(sb, a.Items[i], level + 1, indent, itemSep, keySep);
                        if (i < a.Items.Count - 1) sb.Append(itemSep);
                        NewLine(sb, indent);
                    }
                    Indent(sb, indent, level);
                }
                sb.Append(']');
                break;
            case ObjectValue o:
                sb.Append('{');
                if (o.Count > 0)
                {
                    NewLine(sb, indent);
                    for (var i = 0; i < o.Count; i++)
                    {
                        var (key, value) = o.Entries[i];
                        Indent(sb, indent, level + 1);
                        WriteString(sb, key.AsString().Str);
                        sb.Append(keySep);
                        WriteValue(sb, value, level + 1, indent, itemSep, keySep);
                        if (i < o.Count - 1) sb.Append(itemSep);
                        NewLine(sb, indent);
                    }
                    Indent(sb, indent, level);
                }
                sb.Append('}');
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void NewLine(StringBuilder sb, int indent)
    {
        if (indent >= 0) sb.Append('\n');
    }

    private static void Indent(StringBuilder sb, int indent, int level)
    {
        if (indent > 0) sb.Append(' ', level * indent);
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    // Non-ASCII only ever occurs inside string literals, so escaping every such UTF-16 unit
    // matches llama.cpp's post-pass (which emits surrogate pairs for astral code points).
    private static string EscapeNonAscii(string json)
    {
        var sb = new StringBuilder(json.Length);
        foreach (var c in json)
        {
            if (c < 0x80) sb.Append(c);
            else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
