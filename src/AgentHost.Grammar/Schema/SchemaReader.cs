using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>Typed access to schema keywords; a keyword of the wrong JSON type raises <see cref="InvalidSchemaException"/>.</summary>
internal static class SchemaReader
{
    public static string? String(JsonObject schema, string keyword, string path)
    {
        if (!schema.TryGetPropertyValue(keyword, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw new InvalidSchemaException(SchemaPath.Child(path, keyword), keyword, $"must be a string, not {Describe(node)}");
    }

    public static int? NonNegativeInt(JsonObject schema, string keyword, string path)
    {
        var value = Number(schema, keyword, path);
        if (value is null) return null;
        if (value < 0 || value != decimal.Truncate(value.Value))
            throw new InvalidSchemaException(SchemaPath.Child(path, keyword), keyword, $"must be a non-negative integer, not {value}");
        return value > int.MaxValue ? int.MaxValue : (int)value.Value;
    }

    public static decimal? Number(JsonObject schema, string keyword, string path)
    {
        if (!schema.TryGetPropertyValue(keyword, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            return v.GetValue<double>() > 0 ? decimal.MaxValue : decimal.MinValue; // beyond decimal: effectively unbounded
        }
        throw new InvalidSchemaException(SchemaPath.Child(path, keyword), keyword, $"must be a number, not {Describe(node)}");
    }

    public static bool? Bool(JsonObject schema, string keyword, string path)
    {
        if (!schema.TryGetPropertyValue(keyword, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw new InvalidSchemaException(SchemaPath.Child(path, keyword), keyword, $"must be a boolean, not {Describe(node)}");
    }

    public static JsonArray? Array(JsonObject schema, string keyword, string path, bool nonEmpty)
    {
        if (!schema.TryGetPropertyValue(keyword, out var node)) return null;
        if (node is not JsonArray array)
            throw new InvalidSchemaException(SchemaPath.Child(path, keyword), keyword, $"must be an array, not {Describe(node)}");
        if (nonEmpty && array.Count == 0)
            throw new InvalidSchemaException(SchemaPath.Child(path, keyword), keyword, "must not be empty");
        return array;
    }

    public static JsonObject? Object(JsonObject schema, string keyword, string path)
    {
        if (!schema.TryGetPropertyValue(keyword, out var node)) return null;
        return node as JsonObject
            ?? throw new InvalidSchemaException(SchemaPath.Child(path, keyword), keyword, $"must be an object, not {Describe(node)}");
    }

    /// <summary>The <c>required</c> names; must be an array of unique strings.</summary>
    public static List<string> Required(JsonObject schema, string path)
    {
        var array = Array(schema, "required", path, nonEmpty: false);
        var result = new List<string>();
        if (array is null) return result;
        foreach (var item in array)
        {
            if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                throw new InvalidSchemaException(SchemaPath.Child(path, "required"), "required", $"must be an array of strings, but holds {Describe(item)}");
            var name = v.GetValue<string>();
            if (result.Contains(name))
                throw new InvalidSchemaException(SchemaPath.Child(path, "required"), "required", $"lists '{name}' twice");
            result.Add(name);
        }
        return result;
    }

    /// <summary>The declared types (<c>type</c> as a string or an array of strings), or null when absent.</summary>
    public static List<string>? Types(JsonObject schema, string path)
    {
        if (!schema.TryGetPropertyValue("type", out var node)) return null;
        var typePath = SchemaPath.Child(path, "type");
        var names = node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            JsonArray a when a.Count > 0 && a.All(i => i is JsonValue iv && iv.GetValueKind() == JsonValueKind.String) => a.Select(i => i!.GetValue<string>()).ToList(),
            _ => throw new InvalidSchemaException(typePath, "type", $"must be a type name or a non-empty array of type names, not {Describe(node)}"),
        };
        foreach (var name in names)
        {
            if (!SchemaKeywords.Types.Contains(name))
                throw new InvalidSchemaException(typePath, "type", $"unknown type '{name}' (expected one of {string.Join(", ", SchemaKeywords.Types)})");
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new InvalidSchemaException(typePath, "type", "lists a type twice");
        return names;
    }

    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string {v.ToJsonString()}",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };
}
