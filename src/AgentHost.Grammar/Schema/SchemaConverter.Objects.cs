using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>Object schemas: properties in declared order, optional ones optional, additionalProperties last.</summary>
internal sealed partial class SchemaConverter
{
    private sealed record PropertyRule(string Name, string KeyValueRule, bool Required);

    private string VisitObject(JsonObject schema, string path, string hint)
    {
        var properties = SchemaReader.Object(schema, "properties", path) ?? [];
        var required = SchemaReader.Required(schema, path);
        var additional = AdditionalProperties(schema, path, out var additionalExplicit);

        if (properties.Count == 0 && required.Count == 0 && additional is JsonValue { } any && any.GetValueKind() == JsonValueKind.True)
            return Primitive("object");

        var space = Primitive("space");
        var props = new List<PropertyRule>();
        _nesting++;
        foreach (var (name, propSchema) in properties)
        {
            var propPath = SchemaPath.Child(SchemaPath.Child(path, "properties"), name);
            if (propSchema is JsonValue f && f.GetValueKind() == JsonValueKind.False)
            {
                if (required.Contains(name))
                    throw new InvalidSchemaException(SchemaPath.Child(path, "required"), "required", $"'{name}' is required but its schema is 'false'");
                continue;
            }
            var valueRule = Visit(propSchema, propPath, Child(hint, name));
            props.Add(new PropertyRule(name, KeyValue(hint, name, valueRule, space), required.Contains(name)));
        }
        foreach (var name in required.Where(n => !properties.ContainsKey(n)))
        {
            if (additionalExplicit && additional is null)
                throw new InvalidSchemaException(SchemaPath.Child(path, "required"), "required", $"'{name}' is required but not declared and additionalProperties is false");
            var valueRule = additional is null ? Primitive("value") : Visit(additional, SchemaPath.Child(path, "additionalProperties"), Child(hint, name));
            props.Add(new PropertyRule(name, KeyValue(hint, name, valueRule, space), true));
        }
        string? additionalKv = null;
        if (additional is not null)
        {
            var valueRule = Visit(additional, SchemaPath.Child(path, "additionalProperties"), Child(hint, "additional-value"));
            var keyRule = props.Count == 0 ? Primitive("string") : _rules.Add(Child(hint, "additional-key"), ExcludedKeysGrammar.Build(props.Select(p => p.Name)));
            additionalKv = _rules.Add(Child(hint, "additional-kv"), $"{keyRule} \":\" {space} {valueRule}");
        }
        _nesting--;

        return _rules.Add(hint, ObjectBody(props, additionalKv, hint, space));
    }

    /// <summary>The additionalProperties schema (null when extra properties are not allowed).</summary>
    private JsonNode? AdditionalProperties(JsonObject schema, string path, out bool isExplicit)
    {
        isExplicit = schema.TryGetPropertyValue("additionalProperties", out var node);
        // An object that declares no properties at all is a free-form object (e.g. a "config" argument): any members.
        if (!isExplicit) return _options.AdditionalPropertiesByDefault || !schema.ContainsKey("properties") ? JsonValue.Create(true) : null;
        return node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.True => v,
            JsonObject o => o,
            _ => throw new InvalidSchemaException(SchemaPath.Child(path, "additionalProperties"), "additionalProperties", $"must be a boolean or a schema, not {SchemaReader.Describe(node)}"),
        };
    }

    private string KeyValue(string hint, string name, string valueRule, string space)
    {
        var key = JsonSerializer.Serialize(name, ConstantJson);
        return _rules.Add(Child(hint, name + "-kv"), $"{GbnfText.Literal(key + ":")} {space} {valueRule}");
    }

    /// <summary>
    /// <c>"{" first... "}"</c> where the first written property may be any optional one up to the first required one,
    /// and tail rule i holds properties i.. each preceded by a comma (optional ones optional). Linear in size.
    /// </summary>
    private string ObjectBody(List<PropertyRule> props, string? additionalKv, string hint, string space)
    {
        if (props.Count == 0 && additionalKv is null) return $"\"{{\" {space} \"}}\"";
        var tails = new string?[props.Count + 1];
        tails[props.Count] = additionalKv is null ? null : _rules.Add(Child(hint, "tail"), $"( \",\" {space} {additionalKv} )*");
        for (var i = props.Count - 1; i >= 0; i--)
        {
            var item = props[i].Required ? $"\",\" {space} {props[i].KeyValueRule}" : $"( \",\" {space} {props[i].KeyValueRule} )?";
            var body = tails[i + 1] is { } next ? $"{item} {next}" : item;
            tails[i] = i == 0 ? body : _rules.Add(Child(hint, "tail" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), body);
        }

        var firsts = new List<string>();
        var anyRequired = false;
        for (var k = 0; k < props.Count; k++)
        {
            firsts.Add(tails[k + 1] is { } rest ? $"{props[k].KeyValueRule} {rest}" : props[k].KeyValueRule);
            if (props[k].Required) { anyRequired = true; break; }
        }
        if (!anyRequired && additionalKv is not null) firsts.Add(tails[props.Count] is { } t ? $"{additionalKv} {t}" : additionalKv);
        var inner = firsts.Count == 1 ? firsts[0] : "( " + string.Join(" | ", firsts) + " )";
        if (!anyRequired) inner = firsts.Count == 1 ? $"( {inner} )?" : inner + "?";
        return $"\"{{\" {space} {inner} {space} \"}}\"";
    }
}
