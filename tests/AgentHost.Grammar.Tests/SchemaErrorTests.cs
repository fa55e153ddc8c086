namespace AgentHost.Grammar.Tests;

/// <summary>
/// Invalid schemas fail with typed exceptions naming the JSON pointer and keyword; so do keywords no grammar can
/// express when <see cref="JsonSchemaGrammarOptions.RejectUnsupportedKeywords"/> asks for it (by default they loosen
/// the grammar: <see cref="SchemaLooseningTests"/>).
/// </summary>
public sealed class SchemaErrorTests
{
    private static readonly JsonSchemaGrammarOptions Strict = new() { RejectUnsupportedKeywords = true };

    [Theory]
    [InlineData("""{"type":"object","patternProperties":{"^x":{}}}""", "#/patternProperties", "patternProperties")]
    [InlineData("""{"properties":{"a":{"not":{"type":"string"}}}}""", "#/properties/a/not", "not")]
    [InlineData("""{"if":{"type":"string"},"then":{"minLength":1}}""", "#/if", "if")]
    [InlineData("""{"type":"array","items":{"type":"string"},"uniqueItems":true}""", "#/uniqueItems", "uniqueItems")]
    [InlineData("""{"type":"string","format":"hostname"}""", "#/format", "format")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"string","pattern":"^(?=a)b$"}}}""", "#/properties/p/pattern", "pattern")]
    [InlineData("""{"type":"string","pattern":"(a)\\1"}""", "#/pattern", "pattern")]
    [InlineData("""{"type":"string","pattern":"\\bword"}""", "#/pattern", "pattern")]
    [InlineData("""{"type":"integer","multipleOf":5}""", "#/multipleOf", "multipleOf")]
    [InlineData("""{"type":"object","minProperties":1}""", "#/minProperties", "minProperties")]
    [InlineData("""{"type":"array","contains":{"type":"integer"}}""", "#/contains", "contains")]
    [InlineData("""{"type":"object","propertyNames":{"maxLength":3}}""", "#/propertyNames", "propertyNames")]
    [InlineData("""{"$ref":"https://example.com/schema.json"}""", "#/$ref", "$ref")]
    [InlineData("""{"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/a"},{"type":"string"}]}},"$ref":"#/$defs/a"}""", "#/$defs/a/anyOf/0/$ref", "$ref")]
    [InlineData("""{"type":"string","minLength":5000}""", "#/minLength", "minLength")]
    [InlineData("""{"type":"string","format":"date","maxLength":3}""", "#/maxLength", "maxLength")]
    [InlineData("""{"allOf":[{"type":"string","pattern":"a"},{"pattern":"b"}]}""", "#/allOf/1/pattern", "allOf")]
    [InlineData("""{"type":"array","items":{"dependentRequired":{"a":["b"]}}}""", "#/items/dependentRequired", "dependentRequired")]
    [InlineData("false", "#", "false")]
    public void In_strict_mode_unsupported_features_throw_UnsupportedSchemaException(string schema, string path, string keyword)
    {
        var e = Assert.Throws<UnsupportedSchemaException>(() => JsonSchemaGrammar.FromSchemaJson(schema, Strict));
        Assert.Equal(path, e.SchemaPath);
        Assert.Equal(keyword, e.Keyword);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(keyword, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"strng"}""", "#/type", "type")]
    [InlineData("""{"properties":{"a":{"type":["string","flaot"]}}}""", "#/properties/a/type", "type")]
    [InlineData("""{"type":7}""", "#/type", "type")]
    [InlineData("""{"type":"object","required":"a"}""", "#/required", "required")]
    [InlineData("""{"type":"object","required":[1]}""", "#/required", "required")]
    [InlineData("""{"type":"object","properties":[]}""", "#/properties", "properties")]
    [InlineData("""{"type":"array","minItems":-1}""", "#/minItems", "minItems")]
    [InlineData("""{"type":"array","minItems":3,"maxItems":2}""", "#/minItems", "minItems")]
    [InlineData("""{"type":"string","minLength":"3"}""", "#/minLength", "minLength")]
    [InlineData("""{"type":"string","minLength":1.5}""", "#/minLength", "minLength")]
    [InlineData("""{"enum":[]}""", "#/enum", "enum")]
    [InlineData("""{"anyOf":{}}""", "#/anyOf", "anyOf")]
    [InlineData("""{"$ref":"#/$defs/missing"}""", "#/$ref", "$ref")]
    [InlineData("""{"type":"string","pattern":"[a-"}""", "#/pattern", "pattern")]
    [InlineData("""{"type":"array","items":3}""", "#/items", "items")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":4}""", "#/minimum", "minimum")]
    [InlineData("""{"type":"object","additionalProperties":"no"}""", "#/additionalProperties", "additionalProperties")]
    [InlineData("""{"type":"object","properties":{"a":3}}""", "#/properties/a", "schema")]
    [InlineData("""{"type":"string","enum":[1,2]}""", "#/enum", "enum")]
    [InlineData("""{"type":"object","required":["a","a"]}""", "#/required", "required")]
    [InlineData("null", "#", "schema")]
    [InlineData("{\"type\":", "#", "schema")]
    public void Invalid_schemas_throw_InvalidSchemaException(string schema, string path, string keyword)
    {
        var e = Assert.Throws<InvalidSchemaException>(() => JsonSchemaGrammar.FromSchemaJson(schema));
        Assert.Equal(path, e.SchemaPath);
        Assert.Equal(keyword, e.Keyword);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_type_message_names_the_bad_type()
    {
        var e = Assert.Throws<InvalidSchemaException>(() => JsonSchemaGrammar.FromSchemaJson("""{"type":"strng"}"""));
        Assert.Contains("'strng'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_exception_types_share_a_base()
    {
        Assert.IsAssignableFrom<JsonSchemaException>(Assert.ThrowsAny<Exception>(() => JsonSchemaGrammar.FromSchemaJson("""{"not":{}}""", Strict)));
        Assert.IsAssignableFrom<JsonSchemaException>(Assert.ThrowsAny<Exception>(() => JsonSchemaGrammar.FromSchemaJson("""{"type":"x"}""")));
    }
}
