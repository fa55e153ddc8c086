using AgentHost.Grammar.Tests.Support;

namespace AgentHost.Grammar.Tests;

/// <summary>
/// A keyword no grammar can express never rejects the schema: the grammar accepts any value of the otherwise declared
/// type there (the rest of the schema still holds), and the keyword is reported once per position so the caller can
/// log it and validate the generated JSON against the full schema.
/// </summary>
public sealed class SchemaLooseningTests
{
    private static (GrammarHarness Harness, List<SchemaLoosening> Reports) Convert(string schema)
    {
        var reports = new List<SchemaLoosening>();
        var harness = GrammarHarness.FromSchema(schema, new JsonSchemaGrammarOptions { Loosened = reports.Add });
        return (harness, reports);
    }

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
    [InlineData("""{"anyOf":[{"type":"string"}],"oneOf":[{"type":"integer"}]}""", "#/oneOf", "oneOf")]
    [InlineData("""{"type":"array","prefixItems":[{"type":"string"}],"maxItems":4}""", "#/maxItems", "maxItems")]
    [InlineData("""{"allOf":[{"$ref":"https://example.com/a.json"},{"type":"string"}]}""", "#/allOf/0/$ref", "$ref")]
    public void Unenforceable_keywords_loosen_the_grammar_and_are_reported(string schema, string path, string keyword)
    {
        var (_, reports) = Convert(schema); // FromSchema also parses the GBNF as llama.cpp does
        var report = Assert.Single(reports, r => r.SchemaPath == path); // "if" also reports its "then"
        Assert.Equal(keyword, report.Keyword);
        Assert.False(string.IsNullOrWhiteSpace(report.Reason));
        Assert.NotNull(report.Schema);
    }

    [Fact]
    public void Not_accepts_any_value_of_the_declared_type_and_keeps_the_rest()
    {
        var (g, _) = Convert("""
            {"type":"object","properties":{
              "color":{"type":"string","not":{"enum":["red","green"]}},
              "size":{"type":"integer","minimum":1,"maximum":3}},
             "required":["color","size"],"additionalProperties":false}
            """);
        g.AssertAccepts("""{"color":"red","size":2}"""); // the denied value: validation after generation catches it
        g.AssertAccepts("""{"color":"blue","size":3}""");
        g.AssertRejects("""{"color":7,"size":2}""");
        g.AssertRejects("""{"color":"blue","size":4}""");
        g.AssertRejects("""{"color":"blue"}""");
    }

    [Fact]
    public void PatternProperties_allow_extra_properties_beside_the_declared_ones()
    {
        var (g, _) = Convert("""{"type":"object","properties":{"a":{"type":"integer"}},"patternProperties":{"^x":{"type":"string"}},"additionalProperties":false}""");
        g.AssertAccepts("""{"a":1,"xy":"s"}""");
        g.AssertRejects("""{"a":"s"}""");
    }

    [Fact]
    public void Loosened_string_and_number_keywords_keep_the_type_and_bounds()
    {
        var (multiple, _) = Convert("""{"type":"integer","minimum":0,"maximum":100,"multipleOf":5}""");
        multiple.AssertAccepts("7");
        multiple.AssertRejects("101");
        var (pattern, _) = Convert("""{"type":"string","pattern":"(a)\\1"}""");
        pattern.AssertAccepts("\"anything\"");
        pattern.AssertRejects("1");
        var (unique, _) = Convert("""{"type":"array","items":{"type":"integer"},"uniqueItems":true}""");
        unique.AssertAccepts("[1,1]");
        unique.AssertRejects("[\"a\"]");
    }

    [Fact]
    public void A_position_is_reported_once_even_when_visited_twice()
    {
        // Both alternatives of the type list read the same multipleOf.
        var (g, reports) = Convert("""{"type":["integer","number"],"multipleOf":3}""");
        Assert.Equal("#/multipleOf", Assert.Single(reports).SchemaPath);
        g.AssertAccepts("4");
        g.AssertAccepts("4.5");
    }

    [Fact]
    public void Tool_parameters_are_loosened_with_the_tool_path()
    {
        var reports = new List<SchemaLoosening>();
        var tool = new ToolDefinition("paint", null, System.Text.Json.Nodes.JsonNode.Parse("""{"type":"object","properties":{"color":{"type":"string","not":{"enum":["red"]}}},"required":["color"]}"""));
        var grammar = ToolCallFormat.Hermes.Build([tool], ToolChoice.Required, new ToolCallGrammarOptions { Schema = new JsonSchemaGrammarOptions { Loosened = reports.Add } });
        Assert.NotNull(grammar);
        Assert.Equal("#/tools/paint/parameters/properties/color/not", Assert.Single(reports).SchemaPath);
    }

    [Fact]
    public void A_false_schema_still_throws_it_accepts_nothing()
    {
        Assert.Throws<UnsupportedSchemaException>(() => JsonSchemaGrammar.FromSchemaJson("false"));
    }
}
