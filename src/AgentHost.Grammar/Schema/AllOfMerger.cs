using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>
/// Folds <c>allOf</c> into one schema: properties are united (a property named twice becomes an allOf of both),
/// required lists are united, types and enums intersected, numeric and length bounds tightened. Anything that cannot
/// be combined exactly (two different patterns, two anyOf lists) keeps the first value and is reported as loosened:
/// the merged schema then accepts a superset of the values, and generated JSON is validated against the full schema.
/// </summary>
internal sealed class AllOfMerger
{
    /// <summary>Reports a keyword left unenforced (or throws, in strict mode).</summary>
    public delegate void LoosenKeyword(string keywordPath, string keyword, string reason, JsonNode? schema);

    private static readonly HashSet<string> Lowers = ["minimum", "exclusiveMinimum", "minLength", "minItems"];
    private static readonly HashSet<string> Uppers = ["maximum", "exclusiveMaximum", "maxLength", "maxItems"];

    private readonly Func<string, string, JsonNode?> _resolveRef;
    private readonly LoosenKeyword _loosen;
    private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
    private readonly string _path;

    private AllOfMerger(Func<string, string, JsonNode?> resolveRef, LoosenKeyword loosen, string path)
    {
        _resolveRef = resolveRef;
        _loosen = loosen;
        _path = path;
    }

    /// <summary>
    /// Merges <paramref name="schema"/> (holding <c>allOf</c>, or <c>$ref</c> with sibling keywords) into a schema without them.
    /// <paramref name="resolveRef"/> maps a $ref value and its path to the target node.
    /// </summary>
    public static JsonObject Merge(JsonObject schema, string path, Func<string, string, JsonNode?> resolveRef, LoosenKeyword loosen)
    {
        var merger = new AllOfMerger(resolveRef, loosen, path);
        var result = new JsonObject();
        merger.Add(result, schema, path);
        return result;
    }

    private void Add(JsonObject target, JsonNode? part, string path)
    {
        switch (part)
        {
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True:
                return;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.False:
                throw new UnsupportedSchemaException(path, "allOf", "an allOf containing the schema 'false' accepts no value");
            case JsonObject obj:
                AddObject(target, obj, path);
                return;
            default:
                throw new InvalidSchemaException(path, "allOf", $"each allOf item must be a schema, not {SchemaReader.Describe(part)}");
        }
    }

    private void AddObject(JsonObject target, JsonObject obj, string path)
    {
        if (obj.TryGetPropertyValue("$ref", out var refNode))
        {
            var reference = SchemaReader.String(obj, "$ref", path)!;
            if (reference != "#" && !reference.StartsWith("#/", StringComparison.Ordinal))
            {
                _loosen(SchemaPath.Child(path, "$ref"), "$ref", $"'{reference}' is not a local JSON pointer reference (only '#' and '#/...' can be resolved)", obj);
            }
            else if (_expanding.Add(reference))
            {
                Add(target, _resolveRef(reference, path), SchemaPath.Child(path, "$ref"));
                _expanding.Remove(reference);
            }
            else
            {
                _loosen(SchemaPath.Child(path, "$ref"), "$ref", $"'{reference}' refers back to itself through allOf", obj);
            }
        }
        if (SchemaReader.Array(obj, "allOf", path, nonEmpty: true) is { } items)
        {
            for (var i = 0; i < items.Count; i++) Add(target, items[i], SchemaPath.Child(SchemaPath.Child(path, "allOf"), i));
        }
        foreach (var (key, value) in obj)
        {
            if (key is "$ref" or "allOf" || !SchemaKeywords.IsConstraint(key)) continue;
            MergeKeyword(target, key, value, path);
        }
    }

    private void MergeKeyword(JsonObject target, string key, JsonNode? value, string path)
    {
        if (!target.TryGetPropertyValue(key, out var existing))
        {
            target[key] = value?.DeepClone();
            return;
        }
        if (JsonNode.DeepEquals(existing, value)) return;
        switch (key)
        {
            case "properties":
                var props = (existing as JsonObject) ?? throw new InvalidSchemaException(SchemaPath.Child(path, key), key, "must be an object");
                foreach (var (name, schema) in SchemaReader.Object(new JsonObject { [key] = value?.DeepClone() }, key, path)!)
                {
                    props[name] = props.TryGetPropertyValue(name, out var prior)
                        ? new JsonObject { ["allOf"] = new JsonArray(prior?.DeepClone(), schema?.DeepClone()) }
                        : schema?.DeepClone();
                }
                return;
            case "required":
                var names = SchemaReader.Required(target, _path).Union(SchemaReader.Required(new JsonObject { [key] = value?.DeepClone() }, path));
                target[key] = new JsonArray(names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
                return;
            case "type":
                var a = SchemaReader.Types(target, _path)!;
                var b = SchemaReader.Types(new JsonObject { [key] = value?.DeepClone() }, path)!;
                var both = a.Where(t => b.Contains(t) || (t == "integer" && b.Contains("number"))).Concat(b.Where(t => t == "integer" && a.Contains("number"))).Distinct().ToList();
                if (both.Count == 0) throw new InvalidSchemaException(SchemaPath.Child(path, "type"), "type", "allOf combines types with nothing in common");
                target[key] = new JsonArray(both.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
                return;
            case "enum":
                var left = (existing as JsonArray)?.ToList() ?? [];
                var right = (value as JsonArray)?.ToList() ?? [];
                var common = left.Where(l => right.Any(r => JsonNode.DeepEquals(l, r))).Select(n => n?.DeepClone()).ToArray();
                if (common.Length == 0) throw new InvalidSchemaException(SchemaPath.Child(path, "enum"), "enum", "allOf combines enums with no common value");
                target[key] = new JsonArray(common);
                return;
            case "items" or "additionalProperties" when existing is JsonObject && value is JsonObject:
                target[key] = new JsonObject { ["allOf"] = new JsonArray(existing.DeepClone(), value.DeepClone()) };
                return;
            case "additionalProperties" when IsFalse(existing) || IsFalse(value):
                target[key] = false;
                return;
            case var k when Lowers.Contains(k) && IsNumber(existing) && IsNumber(value):
                target[key] = existing!.GetValue<decimal>() >= value!.GetValue<decimal>() ? existing.DeepClone() : value.DeepClone();
                return;
            case var k when Uppers.Contains(k) && IsNumber(existing) && IsNumber(value):
                target[key] = existing!.GetValue<decimal>() <= value!.GetValue<decimal>() ? existing.DeepClone() : value.DeepClone();
                return;
            default:
                // Keeping one of the two values accepts a superset of what both allow.
                _loosen(SchemaPath.Child(path, key), "allOf", $"allOf combines two different '{key}' values, which cannot be merged into one grammar; only the first is enforced", target);
                return;
        }
    }

    private static bool IsNumber(JsonNode? node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number;

    private static bool IsFalse(JsonNode? node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False;
}
