using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>
/// Walks one JSON Schema document and adds GBNF rules for it to a <see cref="GbnfRuleSet"/>. Each visit returns the
/// name of a rule matching exactly the JSON texts the grammar allows for that sub-schema (a subset of the valid
/// instances where a keyword can only be approximated soundly, e.g. clamped lengths).
/// </summary>
internal sealed partial class SchemaConverter
{
    /// <summary>Serializes constants without escaping non-ASCII text, so a model can write them as it would naturally.</summary>
    internal static readonly JsonSerializerOptions ConstantJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly GbnfRuleSet _rules;
    private readonly JsonNode _document;
    private readonly JsonSchemaGrammarOptions _options;
    private readonly string _rootPath;
    private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _refsInProgress = new(StringComparer.Ordinal);
    private readonly HashSet<string> _loosened = new(StringComparer.Ordinal);

    // Bumped while visiting values inside "{" or "[": reaching an in-progress $ref at the same level means the
    // grammar would recurse without consuming input (left recursion, which llama.cpp rejects).
    private int _nesting;

    public SchemaConverter(GbnfRuleSet rules, JsonNode document, JsonSchemaGrammarOptions options, string rootPath = "#")
    {
        _rules = rules;
        _document = document;
        _options = options;
        _rootPath = rootPath;
        _rules.ReserveNames(JsonPrimitiveRules.Names);
    }

    /// <summary>Converts the whole document; returns the rule name for it.</summary>
    public string VisitDocument(string nameHint) => Visit(_document, _rootPath, nameHint);

    /// <summary>Ensures a fixed-name primitive rule exists and returns its name.</summary>
    public string Primitive(string name) => JsonPrimitiveRules.Ensure(_rules, name, _options.Whitespace);

    /// <summary>The GBNF literal for a JSON constant, serialized compactly.</summary>
    public static string ConstantLiteral(JsonNode? value) => GbnfText.Literal(value?.ToJsonString(ConstantJson) ?? "null");

    private static string Child(string hint, string suffix) => hint + "-" + suffix;

    /// <summary>
    /// A keyword no grammar can express: the caller leaves it unenforced (accepting any value the rest of the schema
    /// allows) and it is reported once per position; in strict mode it throws <see cref="UnsupportedSchemaException"/>.
    /// </summary>
    private void Loosen(string keywordPath, string keyword, string reason, JsonNode? schema)
    {
        if (_options.RejectUnsupportedKeywords) throw new UnsupportedSchemaException(keywordPath, keyword, reason);
        if (_loosened.Add(keywordPath + "\n" + keyword))
            _options.Loosened?.Invoke(new SchemaLoosening(keywordPath, keyword, reason, schema?.DeepClone()));
    }

    /// <summary>The schema without the keywords no grammar can express (each reported); it accepts a superset of the values.</summary>
    private JsonObject WithoutUnenforceable(JsonObject schema, string path)
    {
        List<string>? dropped = null;
        foreach (var (key, _) in schema)
        {
            var reason = SchemaKeywords.Unsupported.TryGetValue(key, out var r) ? r
                : key == "uniqueItems" && SchemaReader.Bool(schema, key, path) == true ? "a grammar cannot keep array items distinct"
                : key == "$ref" && !IsLocalReference(SchemaReader.String(schema, key, path)!) ? $"'{SchemaReader.String(schema, key, path)}' is not a local JSON pointer reference (only '#' and '#/...' can be resolved)"
                : key == "oneOf" && schema.ContainsKey("anyOf") ? "anyOf and oneOf on the same schema cannot both shape one grammar; anyOf does"
                : null;
            if (reason is null) continue;
            Loosen(SchemaPath.Child(path, key), key, reason, schema);
            (dropped ??= []).Add(key);
        }
        if (dropped is null) return schema;
        var copy = (JsonObject)schema.DeepClone();
        foreach (var key in dropped) copy.Remove(key);
        // Properties matching a pattern may carry any value; without the pattern the grammar must allow any extra property.
        if (dropped.Contains("patternProperties") && copy.Any(kv => kv.Key is "type" or "properties" or "required" or "additionalProperties"))
            copy["additionalProperties"] = true;
        return copy;
    }

    private static bool IsLocalReference(string reference) => reference == "#" || reference.StartsWith("#/", StringComparison.Ordinal);

    private string Visit(JsonNode? schema, string path, string hint)
    {
        switch (schema)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.True:
                return Primitive("value");
            case JsonValue v when v.GetValueKind() == JsonValueKind.False:
                throw new UnsupportedSchemaException(path, "false", "the schema 'false' accepts no value, so no grammar can be built for it");
            case JsonObject obj:
                return VisitObjectSchema(obj, path, hint);
            default:
                throw new InvalidSchemaException(path, "schema", $"a schema must be an object or a boolean, not {SchemaReader.Describe(schema)}");
        }
    }

    private string VisitObjectSchema(JsonObject schema, string path, string hint)
    {
        schema = WithoutUnenforceable(schema, path);

        if (schema.ContainsKey("$ref"))
        {
            var reference = SchemaReader.String(schema, "$ref", path)!;
            var hasSiblings = schema.Any(kv => kv.Key != "$ref" && SchemaKeywords.IsConstraint(kv.Key));
            return hasSiblings ? Visit(AllOfMerger.Merge(schema, path, ResolveForMerge, LoosenForMerge), path, hint) : VisitRef(reference, path);
        }
        if (SchemaReader.Bool(schema, "nullable", path) == true)
        {
            var inner = (JsonObject)schema.DeepClone();
            inner.Remove("nullable");
            var innerRule = Visit(inner, path, hint);
            return _rules.Add(hint, $"{innerRule} | {Primitive("null")}");
        }
        if (schema.ContainsKey("allOf"))
            return Visit(AllOfMerger.Merge(schema, path, ResolveForMerge, LoosenForMerge), path, hint);
        if (schema.ContainsKey("anyOf") || schema.ContainsKey("oneOf"))
            return VisitAlternatives(schema, path, hint);
        if (schema.TryGetPropertyValue("const", out var constant))
            return _rules.Add(hint, ConstantLiteral(constant));
        if (schema.ContainsKey("enum"))
            return VisitEnum(schema, path, hint);

        var types = SchemaReader.Types(schema, path) ?? InferTypes(schema);
        if (types is null) return Primitive("value");
        if (types.Count == 1) return VisitTyped(schema, types[0], path, hint);
        var alternatives = types.Select(t => VisitTyped(schema, t, path, Child(hint, t)));
        return _rules.Add(hint, string.Join(" | ", alternatives));
    }

    /// <summary>The type implied by type-specific keywords when <c>type</c> is absent; null for "any value".</summary>
    private static List<string>? InferTypes(JsonObject schema)
    {
        bool Has(params string[] keys) => keys.Any(schema.ContainsKey);
        if (Has("properties", "required", "additionalProperties")) return ["object"];
        if (Has("items", "prefixItems", "minItems", "maxItems")) return ["array"];
        if (Has("pattern", "format", "minLength", "maxLength")) return ["string"];
        if (Has("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")) return ["number"];
        return null;
    }

    private string VisitTyped(JsonObject schema, string type, string path, string hint) => type switch
    {
        "string" => VisitString(schema, path, hint),
        "number" => VisitNumber(schema, path, hint),
        "integer" => VisitInteger(schema, path, hint),
        "boolean" => Primitive("boolean"),
        "null" => Primitive("null"),
        "object" => VisitObject(schema, path, hint),
        "array" => VisitArray(schema, path, hint),
        _ => throw new InvalidSchemaException(SchemaPath.Child(path, "type"), "type", $"unknown type '{type}'"),
    };

    private string VisitAlternatives(JsonObject schema, string path, string hint)
    {
        var keyword = schema.ContainsKey("anyOf") ? "anyOf" : "oneOf";
        var items = SchemaReader.Array(schema, keyword, path, nonEmpty: true)!;
        // Sibling constraints (e.g. "type": "object" next to anyOf) apply to every alternative.
        var siblings = new JsonObject();
        foreach (var (key, value) in schema)
            if (key != keyword && SchemaKeywords.IsConstraint(key)) siblings[key] = value?.DeepClone();

        // oneOf is treated as anyOf: a grammar cannot check that exactly one alternative matches.
        var rules = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = SchemaPath.Child(SchemaPath.Child(path, keyword), i);
            var item = items[i];
            if (siblings.Count > 0)
            {
                var combined = (JsonObject)siblings.DeepClone();
                combined["allOf"] = new JsonArray(item?.DeepClone());
                item = AllOfMerger.Merge(combined, itemPath, ResolveForMerge, LoosenForMerge);
            }
            rules.Add(Visit(item, itemPath, Child(hint, i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        return _rules.Add(hint, string.Join(" | ", rules.Distinct()));
    }

    private string VisitEnum(JsonObject schema, string path, string hint)
    {
        var values = SchemaReader.Array(schema, "enum", path, nonEmpty: true)!.ToList();
        if (SchemaReader.Types(schema, path) is { } types)
        {
            values = values.Where(v => types.Any(t => MatchesType(v, t))).ToList();
            if (values.Count == 0)
                throw new InvalidSchemaException(SchemaPath.Child(path, "enum"), "enum", $"no enum value has the declared type ({string.Join(", ", types)})");
        }
        return _rules.Add(hint, string.Join(" | ", values.Select(ConstantLiteral).Distinct()));
    }

    private static bool MatchesType(JsonNode? value, string type) => (value, type) switch
    {
        (null, "null") => true,
        (JsonObject, "object") => true,
        (JsonArray, "array") => true,
        (JsonValue v, "string") => v.GetValueKind() == JsonValueKind.String,
        (JsonValue v, "boolean") => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        (JsonValue v, "number") => v.GetValueKind() == JsonValueKind.Number,
        (JsonValue v, "integer") => v.GetValueKind() == JsonValueKind.Number && v.GetValue<decimal>() == decimal.Truncate(v.GetValue<decimal>()),
        _ => false,
    };

    private string VisitRef(string reference, string path)
    {
        var pointer = LocalPointer(reference, path);
        if (_refRules.TryGetValue(pointer, out var known))
        {
            if (!_refsInProgress.TryGetValue(pointer, out var level) || level != _nesting) return known;
            // Left recursion, which llama.cpp rejects: the recursive spot takes any JSON value instead.
            Loosen(SchemaPath.Child(path, "$ref"), "$ref", $"'{reference}' recurses without consuming input (left recursion)", JsonValue.Create(reference));
            return Primitive("value");
        }
        var target = ResolvePointer(pointer)
            ?? throw new InvalidSchemaException(SchemaPath.Child(path, "$ref"), "$ref", $"'{reference}' does not resolve to a schema in this document");
        var name = _rules.Reserve("ref" + (pointer.Length == 0 ? "-root" : pointer));
        _refRules[pointer] = name;
        _refsInProgress[pointer] = _nesting;
        var body = Visit(target, _rootPath + pointer, name);
        _refsInProgress.Remove(pointer);
        _rules.Define(name, body);
        return name;
    }

    private JsonNode? ResolveForMerge(string reference, string path)
    {
        var pointer = LocalPointer(reference, path);
        return ResolvePointer(pointer)
            ?? throw new InvalidSchemaException(SchemaPath.Child(path, "$ref"), "$ref", $"'{reference}' does not resolve to a schema in this document");
    }

    /// <summary>Lets <see cref="AllOfMerger"/> leave a keyword it cannot merge unenforced (or throw, in strict mode).</summary>
    private AllOfMerger.LoosenKeyword LoosenForMerge => (keywordPath, keyword, reason, schema) => Loosen(keywordPath, keyword, reason, schema);

    /// <summary>The JSON pointer of a local reference ("#", "#/$defs/x"); other references are unsupported.</summary>
    private static string LocalPointer(string reference, string path)
    {
        if (reference == "#") return "";
        if (reference.StartsWith("#/", StringComparison.Ordinal)) return reference[1..];
        throw new UnsupportedSchemaException(SchemaPath.Child(path, "$ref"), "$ref", $"'{reference}' is not a local JSON pointer reference (only '#' and '#/...' are supported)");
    }

    private JsonNode? ResolvePointer(string pointer)
    {
        var node = _document;
        if (pointer.Length == 0) return node;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var segment = SchemaPath.Unescape(raw);
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(segment, out var next) && next is not null => next,
                JsonArray a when int.TryParse(segment, out var i) && i >= 0 && i < a.Count && a[i] is { } item => item,
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }
}
