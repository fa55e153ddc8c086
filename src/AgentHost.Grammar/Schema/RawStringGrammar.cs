using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>
/// The grammar of a string value written raw — unquoted and unescaped — as the XML-style call formats (Qwen3-Coder,
/// Qwen3.5, GLM, MiniMax, Seed-OSS, ...) and Gemma 4's quoted strings carry string parameters. It enforces the string's
/// <c>const</c>, <c>enum</c>, <c>pattern</c> or length bounds, so a value the model is forced into validates once read
/// back (llama.cpp leaves such values free text). Returns null when the schema constrains nothing a raw grammar can
/// enforce (no such keyword, a <c>format</c>, an untranslatable pattern): the caller then accepts any text up to its
/// delimiter.
/// </summary>
public static class RawStringGrammar
{
    /// <summary>
    /// Adds the rule for the raw text of <paramref name="schema"/> and returns its name, or null (see the class).
    /// Free characters (length bounds, an unanchored pattern side) exclude <paramref name="excludedChars"/>: the
    /// first character of the delimiter that ends the value, so the value cannot run into it.
    /// </summary>
    public static string? Add(GbnfRuleSet rules, string nameHint, JsonNode? schema, string excludedChars, string schemaPath = "#")
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (schema is not JsonObject s) return null;
        if (s.TryGetPropertyValue("const", out var constant))
            return constant is JsonValue v && v.GetValueKind() == JsonValueKind.String ? rules.Add(nameHint, GbnfText.Literal(v.GetValue<string>())) : null;
        if (s["enum"] is JsonArray values)
        {
            var strings = values.OfType<JsonValue>().Where(e => e.GetValueKind() == JsonValueKind.String).Select(e => GbnfText.Literal(e.GetValue<string>())).Distinct().ToList();
            return strings.Count == 0 ? null : rules.Add(nameHint, string.Join(" | ", strings));
        }
        if (s.ContainsKey("format")) return null;

        var anyChar = rules.Add(nameHint + "-char", excludedChars.Length == 0
            ? "[^\\x00]"
            : GbnfText.CharClass(excludedChars.EnumerateRunes().Select(r => (r.Value, r.Value)), negated: true));
        if (SchemaReader.String(s, "pattern", schemaPath) is { } pattern)
        {
            try
            {
                return RegexPatternTranslator.TranslateRaw(pattern, rules, nameHint, SchemaPath.Child(schemaPath, "pattern"), anyChar);
            }
            catch (Exception e) when (e is UnsupportedSchemaException or InvalidSchemaException)
            {
                return null;
            }
        }
        var min = SchemaReader.NonNegativeInt(s, "minLength", schemaPath);
        var max = SchemaReader.NonNegativeInt(s, "maxLength", schemaPath);
        if (min is null && max is null) return null;
        if ((min ?? 0) > GbnfRepetition.MaxRepetition || max < (min ?? 0)) return null;
        var bounded = GbnfRepetition.Build(anyChar, min ?? 0, max is { } m ? Math.Min(m, GbnfRepetition.MaxRepetition) : null);
        return rules.Add(nameHint, bounded.Length == 0 ? "\"\"" : bounded);
    }
}
