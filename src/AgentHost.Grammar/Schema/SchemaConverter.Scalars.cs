using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>String, number and integer schemas.</summary>
internal sealed partial class SchemaConverter
{
    private string VisitString(JsonObject schema, string path, string hint)
    {
        var pattern = SchemaReader.String(schema, "pattern", path);
        var format = SchemaReader.String(schema, "format", path);
        var minLength = SchemaReader.NonNegativeInt(schema, "minLength", path);
        var maxLength = SchemaReader.NonNegativeInt(schema, "maxLength", path);
        if (maxLength < (minLength ?? 0))
            throw new InvalidSchemaException(SchemaPath.Child(path, "minLength"), "minLength", $"minLength {minLength} is greater than maxLength {maxLength}");

        // One string gets one of format, pattern, lengths (in that order); the others are left unenforced.
        if (format is not null && !JsonPrimitiveRules.StringFormats.ContainsKey(format))
        {
            Loosen(SchemaPath.Child(path, "format"), "format", $"unknown string format '{format}' (supported: {string.Join(", ", JsonPrimitiveRules.StringFormats.Keys)})", schema);
            format = null;
        }
        if (format is not null)
        {
            if (pattern is not null) Combined(schema, path, "pattern", "format");
            if (minLength is not null) Combined(schema, path, "minLength", "format");
            if (maxLength is not null) Combined(schema, path, "maxLength", "format");
            return Primitive(JsonPrimitiveRules.StringFormats[format]);
        }
        if (pattern is not null)
        {
            if (minLength is not null) Combined(schema, path, "minLength", "pattern");
            if (maxLength is not null) Combined(schema, path, "maxLength", "pattern");
            try
            {
                return RegexPatternTranslator.Translate(pattern, _rules, hint, SchemaPath.Child(path, "pattern"), Primitive);
            }
            catch (UnsupportedSchemaException e) when (!_options.RejectUnsupportedKeywords)
            {
                Loosen(e.SchemaPath, e.Keyword, e.Detail, schema);
                return Primitive("string");
            }
        }
        if (minLength is null && maxLength is null) return Primitive("string");

        var min = minLength ?? 0;
        if (min > GbnfRepetition.MaxRepetition)
        {
            // Clamping maxLength here would leave no valid string, so neither bound is enforced.
            Loosen(SchemaPath.Child(path, "minLength"), "minLength", $"llama.cpp grammars cannot repeat more than {GbnfRepetition.MaxRepetition} times", schema);
            return Primitive("string");
        }
        // Clamping maxLength keeps every accepted string valid (llama.cpp would otherwise drop the bound silently).
        var max = maxLength is { } m ? Math.Min(m, GbnfRepetition.MaxRepetition) : (int?)null;
        var chars = GbnfRepetition.Build(Primitive("char"), min, max);
        return _rules.Add(hint, chars.Length == 0 ? "[\"] [\"]" : $"[\"] {chars} [\"]");
    }

    private void Combined(JsonObject schema, string path, string keyword, string other) =>
        Loosen(SchemaPath.Child(path, keyword), keyword, $"'{keyword}' together with '{other}' on one string cannot be expressed in a grammar", schema);

    private string VisitInteger(JsonObject schema, string path, string hint)
    {
        LoosenMultipleOf(schema, path);
        var bounds = NumericBounds.Read(schema, path);
        if (bounds.IsUnbounded) return Primitive("integer");
        if (bounds.IsEmpty(integers: true))
            throw new InvalidSchemaException(SchemaPath.Child(path, "minimum"), "minimum", "no integer lies between the lower and the upper bound");
        var range = bounds.ForIntegers();
        return _rules.Add(hint, IntegerRangeGrammar.Build(range.Min, range.Max));
    }

    private string VisitNumber(JsonObject schema, string path, string hint)
    {
        if (SchemaReader.Number(schema, "multipleOf", path) == 1m) return VisitInteger(WithoutMultipleOf(schema), path, hint);
        LoosenMultipleOf(schema, path);
        var bounds = NumericBounds.Read(schema, path);
        if (bounds.IsUnbounded) return Primitive("number");
        if (bounds.IsEmpty(integers: false))
            throw new InvalidSchemaException(SchemaPath.Child(path, "minimum"), "minimum", "no number lies between the lower and the upper bound");
        var body = NumberRangeGrammar.Build(bounds)
            ?? throw new InvalidSchemaException(SchemaPath.Child(path, "minimum"), "minimum", "no number lies between the lower and the upper bound");
        Primitive("decimal-part");
        return _rules.Add(hint, body);
    }

    private static JsonObject WithoutMultipleOf(JsonObject schema)
    {
        var copy = (JsonObject)schema.DeepClone();
        copy.Remove("multipleOf");
        return copy;
    }

    /// <summary>Any multipleOf but 1 is left unenforced; the bounds still are.</summary>
    private void LoosenMultipleOf(JsonObject schema, string path)
    {
        var multipleOf = SchemaReader.Number(schema, "multipleOf", path);
        if (multipleOf is null || multipleOf == 1m) return;
        if (multipleOf <= 0)
            throw new InvalidSchemaException(SchemaPath.Child(path, "multipleOf"), "multipleOf", "must be greater than 0");
        Loosen(SchemaPath.Child(path, "multipleOf"), "multipleOf",
            $"multiples of {multipleOf.Value.ToString(CultureInfo.InvariantCulture)} cannot be expressed in a grammar", schema);
    }
}
