using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>Array schemas: items with minItems/maxItems, and tuples (prefixItems or draft-4 array-form items).</summary>
internal sealed partial class SchemaConverter
{
    private string VisitArray(JsonObject schema, string path, string hint)
    {
        var minItems = SchemaReader.NonNegativeInt(schema, "minItems", path) ?? 0;
        var maxItems = SchemaReader.NonNegativeInt(schema, "maxItems", path);
        if (maxItems < minItems)
            throw new InvalidSchemaException(SchemaPath.Child(path, "minItems"), "minItems", $"minItems {minItems} is greater than maxItems {maxItems}");
        if (minItems > GbnfRepetition.MaxRepetition)
        {
            // Clamping maxItems here would leave no valid array, so neither count is enforced.
            Loosen(SchemaPath.Child(path, "minItems"), "minItems", $"llama.cpp grammars cannot repeat more than {GbnfRepetition.MaxRepetition} times", schema);
            minItems = 0;
            maxItems = null;
        }
        var max = maxItems is { } m ? Math.Min(m, GbnfRepetition.MaxRepetition) : (int?)null;

        schema.TryGetPropertyValue("items", out var items);
        if (schema.ContainsKey("prefixItems") || items is JsonArray)
            return VisitTuple(schema, path, hint, items);
        if (items is not null and not JsonObject && !(items is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False))
            throw new InvalidSchemaException(SchemaPath.Child(path, "items"), "items", $"must be a schema or an array of schemas, not {SchemaReader.Describe(items)}");
        if (items is null && minItems == 0 && max is null) return Primitive("array");

        var space = Primitive("space");
        string body;
        if (items is JsonValue f && f.GetValueKind() == JsonValueKind.False || max == 0)
        {
            if (minItems > 0)
                throw new InvalidSchemaException(SchemaPath.Child(path, "minItems"), "minItems", "the array needs items but no item is allowed");
            body = $"\"[\" {space} \"]\"";
        }
        else
        {
            _nesting++;
            var itemRule = items is null ? Primitive("value") : Visit(items, SchemaPath.Child(path, "items"), Child(hint, "item"));
            _nesting--;
            body = $"\"[\" {space} {GbnfRepetition.Build(itemRule, minItems, max, $"\",\" {space}")} {space} \"]\"";
        }
        return _rules.Add(hint, body);
    }

    private string VisitTuple(JsonObject schema, string path, string hint, JsonNode? items)
    {
        var draft4 = items is JsonArray;
        var keyword = draft4 ? "items" : "prefixItems";
        var prefix = SchemaReader.Array(schema, keyword, path, nonEmpty: false)!;
        var restKeyword = draft4 ? "additionalItems" : "items";
        schema.TryGetPropertyValue(restKeyword, out var rest);
        foreach (var count in new[] { "minItems", "maxItems" }.Where(schema.ContainsKey))
            Loosen(SchemaPath.Child(path, count), count, $"item counts together with {keyword} cannot be expressed in a grammar", schema);

        var space = Primitive("space");
        var parts = new List<string>();
        _nesting++;
        for (var i = 0; i < prefix.Count; i++)
            parts.Add(Visit(prefix[i], SchemaPath.Child(SchemaPath.Child(path, keyword), i), Child(hint, "tuple-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        // Every prefix item is written (a sound subset: shorter arrays are also valid JSON Schema instances).
        var restRule = rest switch
        {
            null => Primitive("value"),
            JsonValue v when v.GetValueKind() == JsonValueKind.True => Primitive("value"),
            JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
            JsonObject => Visit(rest, SchemaPath.Child(path, restKeyword), Child(hint, "rest")),
            _ => throw new InvalidSchemaException(SchemaPath.Child(path, restKeyword), restKeyword, $"must be a schema, not {SchemaReader.Describe(rest)}"),
        };
        _nesting--;

        string body;
        if (parts.Count == 0)
            body = restRule is null ? $"\"[\" {space} \"]\"" : $"\"[\" {space} {GbnfRepetition.Build(restRule, 0, null, $"\",\" {space}")} {space} \"]\"";
        else
        {
            var seq = string.Join($" \",\" {space} ", parts);
            if (restRule is not null) seq += $" ( \",\" {space} {restRule} )*";
            body = $"\"[\" {space} {seq} {space} \"]\"";
        }
        return _rules.Add(hint, body);
    }
}
