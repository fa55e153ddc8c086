using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>
/// Converts JSON Schema into GBNF grammars for llama.cpp's grammar sampler (<c>llama_sampler_init_grammar</c>).
/// Supports objects (declared property order, optional properties, additionalProperties), arrays (items, tuples,
/// minItems/maxItems), enum, const, strings (length, pattern, formats date/time/date-time/uuid/email/uri/ipv4),
/// numbers and integers (with bounds), booleans, null, type arrays, anyOf/oneOf, allOf, local $ref (recursion
/// allowed) and OpenAPI <c>nullable</c>. Unsupported keywords throw <see cref="UnsupportedSchemaException"/>,
/// malformed schemas throw <see cref="InvalidSchemaException"/>.
/// </summary>
public static class JsonSchemaGrammar
{
    /// <summary>The GBNF text for <paramref name="schema"/>, start rule <see cref="JsonSchemaGrammarOptions.RootRuleName"/>.</summary>
    public static string FromSchema(JsonElement schema, JsonSchemaGrammarOptions? options = null) =>
        FromSchema(ToNode(schema), options);

    /// <summary>The GBNF text for <paramref name="schema"/> (a <see cref="JsonNode"/>; null means JSON null, which is invalid).</summary>
    public static string FromSchema(JsonNode? schema, JsonSchemaGrammarOptions? options = null)
    {
        options ??= JsonSchemaGrammarOptions.Default;
        var rules = new GbnfRuleSet();
        AddSchema(rules, options.RootRuleName, schema, options, asRoot: true);
        return rules.Format(options.RootRuleName);
    }

    /// <summary>The GBNF text for a schema given as JSON text; malformed JSON throws <see cref="InvalidSchemaException"/>.</summary>
    public static string FromSchemaJson(string schemaJson, JsonSchemaGrammarOptions? options = null) =>
        FromSchema(ParseSchemaJson(schemaJson), options);

    /// <summary>A grammar accepting any JSON value (for a plain JSON response format).</summary>
    public static string AnyJsonValue(JsonSchemaGrammarOptions? options = null) => FromSchema(JsonValue.Create(true), options);

    /// <summary>A grammar accepting any JSON object (OpenAI's <c>json_object</c> response format).</summary>
    public static string AnyJsonObject(JsonSchemaGrammarOptions? options = null) =>
        FromSchema(new JsonObject { ["type"] = "object", ["additionalProperties"] = true }, options);

    /// <summary>
    /// Adds the rules for <paramref name="schema"/> to <paramref name="rules"/> and returns the rule name matching it; used to
    /// embed schemas in larger grammars (tool calls). <paramref name="schemaPath"/> prefixes paths in error messages.
    /// With <paramref name="asRoot"/> the schema's rule is defined under exactly <paramref name="nameHint"/>.
    /// </summary>
    public static string AddSchema(GbnfRuleSet rules, string nameHint, JsonNode? schema, JsonSchemaGrammarOptions? options = null, string schemaPath = "#", bool asRoot = false)
    {
        ArgumentNullException.ThrowIfNull(rules);
        options ??= JsonSchemaGrammarOptions.Default;
        if (!GbnfText.IsValidRuleName(options.RootRuleName))
            throw new ArgumentException($"RootRuleName '{options.RootRuleName}' is not a valid GBNF rule name ([a-zA-Z0-9-]+).", nameof(options));
        if (schema is null)
            throw new InvalidSchemaException(schemaPath, "schema", "a schema must be an object or a boolean, not null");
        if (asRoot) rules.ReserveNames([nameHint]); // keeps sub-rules (e.g. a property named "root") off the start rule's name
        var converter = new SchemaConverter(rules, schema, options, schemaPath);
        var name = converter.VisitDocument(nameHint);
        if (!asRoot || name == nameHint) return name;
        rules.Define(nameHint, name);
        return nameHint;
    }

    /// <summary>Parses schema JSON text, mapping syntax errors to <see cref="InvalidSchemaException"/>.</summary>
    public static JsonNode ParseSchemaJson(string schemaJson)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        try
        {
            return JsonNode.Parse(schemaJson) ?? throw new InvalidSchemaException("#", "schema", "a schema must be an object or a boolean, not null");
        }
        catch (JsonException e)
        {
            throw new InvalidSchemaException("#", "schema", $"the schema is not valid JSON ({e.Message})", e);
        }
    }

    public static JsonNode ToNode(JsonElement schema)
    {
        try
        {
            return JsonNode.Parse(schema.GetRawText()) ?? throw new InvalidSchemaException("#", "schema", "a schema must be an object or a boolean, not null");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidSchemaException("#", "schema", $"the schema cannot be read ({e.Message})", e);
        }
    }
}
