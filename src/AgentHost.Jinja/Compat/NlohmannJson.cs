using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Compat;

/// <summary>JSON text as llama.cpp's nlohmann-based common_json produces and accepts it.</summary>
internal static class NlohmannJson
{
    /// <summary>Compact dump(): no spaces, UTF-8 kept, control characters as \u00xx.</summary>
    public static string Dump(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    /// <summary>Strict parse; null when the text is not a single JSON value.</summary>
    public static JsonNode? TryParse(string text, out bool ok)
    {
        try
        {
            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            ok = true;
            return node;
        }
        catch (JsonException)
        {
            ok = false;
            return null;
        }
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(sb, a[i]);
                }
                sb.Append(']');
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in o)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    JsonWriter.WriteString(sb, key);
                    sb.Append(':');
                    Write(sb, value);
                }
                sb.Append('}');
                break;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        JsonWriter.WriteString(sb, v.GetValue<string>());
                        break;
                    case JsonValueKind.Number:
                        sb.Append(FormatNumber(v.ToJsonString()));
                        break;
                    case JsonValueKind.True:
                        sb.Append("true");
                        break;
                    case JsonValueKind.False:
                        sb.Append("false");
                        break;
                    default:
                        sb.Append("null");
                        break;
                }
                break;
        }
    }

    private static string FormatNumber(string raw)
    {
        if (!raw.AsSpan().ContainsAny(".eE") && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return l.ToString(CultureInfo.InvariantCulture);
        var d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        var s = d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");
        if (s.Contains('e'))
        {
            // nlohmann writes 1e+100 / 1e-07 style exponents
            var parts = s.Split('e');
            var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        return s.Contains('.') ? s : s + ".0";
    }
}
