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
        var hasLength = minLength is not null || maxLength is not null;

        if (format is not null)
        {
            if (!JsonPrimitiveRules.StringFormats.TryGetValue(format, out var formatRule))
                throw new UnsupportedSchemaException(SchemaPath.Child(path, "format"), "format",
                    $"unknown string format '{format}' (supported: {string.Join(", ", JsonPrimitiveRules.StringFormats.Keys)})");
            if (pattern is not null) throw Combined(path, "pattern", "format");
            if (hasLength) throw Combined(path, minLength is not null ? "minLength" : "maxLength", "format");
            return Primitive(formatRule);
        }
        if (pattern is not null)
        {
            if (hasLength) throw Combined(path, minLength is not null ? "minLength" : "maxLength", "pattern");
            return RegexPatternTranslator.Translate(pattern, _rules, hint, SchemaPath.Child(path, "pattern"), Primitive);
        }
        if (!hasLength) return Primitive("string");

        var min = minLength ?? 0;
        if (maxLength < min)
            throw new InvalidSchemaException(SchemaPath.Child(path, "minLength"), "minLength", $"minLength {min} is greater than maxLength {maxLength}");
        if (min > GbnfRepetition.MaxRepetition)
            throw new UnsupportedSchemaException(SchemaPath.Child(path, "minLength"), "minLength", $"llama.cpp grammars cannot repeat more than {GbnfRepetition.MaxRepetition} times");
        // Clamping maxLength keeps every accepted string valid (llama.cpp would otherwise drop the bound silently).
        var max = maxLength is { } m ? Math.Min(m, GbnfRepetition.MaxRepetition) : (int?)null;
        var chars = GbnfRepetition.Build(Primitive("char"), min, max);
        return _rules.Add(hint, chars.Length == 0 ? "[\"] [\"]" : $"[\"] {chars} [\"]");
    }

    private static UnsupportedSchemaException Combined(string path, string keyword, string other) =>
        new(SchemaPath.Child(path, keyword), keyword, $"'{keyword}' together with '{other}' on one string is not supported");

    private string VisitInteger(JsonObject schema, string path, string hint)
    {
        RejectMultipleOf(schema, path);
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
        RejectMultipleOf(schema, path);
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

    private static void RejectMultipleOf(JsonObject schema, string path)
    {
        var multipleOf = SchemaReader.Number(schema, "multipleOf", path);
        if (multipleOf is null || multipleOf == 1m) return;
        if (multipleOf <= 0)
            throw new InvalidSchemaException(SchemaPath.Child(path, "multipleOf"), "multipleOf", "must be greater than 0");
        throw new UnsupportedSchemaException(SchemaPath.Child(path, "multipleOf"), "multipleOf",
            $"multiples of {multipleOf.Value.ToString(CultureInfo.InvariantCulture)} cannot be expressed in a grammar");
    }
}
