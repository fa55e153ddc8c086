using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Grammar.Tests.Support;

namespace AgentHost.Grammar.Tests;

/// <summary>Options, entry points and llama.cpp limits of <see cref="JsonSchemaGrammar"/>.</summary>
public sealed class JsonSchemaGrammarTests
{
    private const string ObjectWithA = """{"type":"object","properties":{"a":{"type":"integer"}}}""";

    [Fact]
    public void Additional_properties_are_refused_by_default_and_allowed_by_option()
    {
        GrammarHarness.FromSchema(ObjectWithA).AssertRejects("""{"a":1,"b":2}""");
        var open = GrammarHarness.FromSchema(ObjectWithA, new JsonSchemaGrammarOptions { AdditionalPropertiesByDefault = true });
        open.AssertAccepts("""{"a":1,"b":2}""");
        open.AssertAccepts("""{"b":[true]}""");
        open.AssertRejects("""{"a":"x"}""");
    }

    [Fact]
    public void Whitespace_is_bounded()
    {
        var harness = GrammarHarness.FromSchema(ObjectWithA);
        harness.AssertAccepts("{\n\n" + new string(' ', 20) + "\"a\": 1\n}");
        harness.AssertAccepts("{\"a\":\t1}".Replace("\t", " ", StringComparison.Ordinal));
        harness.AssertRejects("{\n\n\n\"a\": 1}");
        harness.AssertRejects("{\n" + new string(' ', 21) + "\"a\": 1}");
        harness.AssertRejects("{\"a\":  1}");
    }

    [Fact]
    public void Compact_whitespace_allows_none()
    {
        var harness = GrammarHarness.FromSchema(ObjectWithA, new JsonSchemaGrammarOptions { Whitespace = JsonWhitespace.Compact });
        harness.AssertAccepts("""{"a":1}""");
        harness.AssertRejects("""{"a": 1}""");
    }

    [Fact]
    public void Root_rule_name_is_configurable()
    {
        var gbnf = JsonSchemaGrammar.FromSchemaJson(ObjectWithA, new JsonSchemaGrammarOptions { RootRuleName = "start" });
        Assert.StartsWith("start ::= ", gbnf, StringComparison.Ordinal);
        GrammarHarness.FromGbnf(gbnf, "start");
        Assert.Throws<ArgumentException>(() => JsonSchemaGrammar.FromSchemaJson(ObjectWithA, new JsonSchemaGrammarOptions { RootRuleName = "bad_name" }));
    }

    [Fact]
    public void Element_node_and_text_inputs_give_the_same_grammar()
    {
        using var doc = JsonDocument.Parse(SchemaCases.Get("tool-arguments").Schema);
        var fromElement = JsonSchemaGrammar.FromSchema(doc.RootElement);
        Assert.Equal(fromElement, JsonSchemaGrammar.FromSchema(JsonNode.Parse(SchemaCases.Get("tool-arguments").Schema)));
        Assert.Equal(fromElement, JsonSchemaGrammar.FromSchemaJson(SchemaCases.Get("tool-arguments").Schema));
    }

    [Fact]
    public void Any_json_value_and_any_object_grammars()
    {
        var value = GrammarHarness.FromGbnf(JsonSchemaGrammar.AnyJsonValue());
        foreach (var ok in new[] { "1", "[]", "\"s\"", """{"a":{"b":[null,true]}}""" }) value.AssertAccepts(ok);
        value.AssertRejects("{'a':1}");
        var obj = GrammarHarness.FromGbnf(JsonSchemaGrammar.AnyJsonObject());
        obj.AssertAccepts("""{"x": [1, {"y": "z"}]}""");
        obj.AssertRejects("[1]");
        obj.AssertRejects("\"text\"");
    }

    [Fact]
    public void Max_length_above_llama_limit_is_clamped_to_a_valid_bound()
    {
        var harness = GrammarHarness.FromSchema("""{"type":"string","maxLength":5000}""");
        harness.AssertAccepts("\"" + new string('x', 2000) + "\"");
        harness.AssertRejects("\"" + new string('x', 2001) + "\"");
    }

    [Fact]
    public void Property_named_like_the_root_rule_does_not_clash()
    {
        var harness = GrammarHarness.FromSchema("""{"type":"object","properties":{"root":{"type":"string"},"space":{"type":"integer"}},"required":["root","space"]}""");
        harness.AssertAccepts("""{"root":"a","space":1}""");
        harness.AssertRejects("\"a\"");
    }

    [Fact]
    public void Many_optional_properties_keep_the_grammar_linear()
    {
        var props = new JsonObject();
        for (var i = 0; i < 60; i++) props[$"p{i}"] = new JsonObject { ["type"] = "integer" };
        var gbnf = JsonSchemaGrammar.FromSchema(new JsonObject { ["type"] = "object", ["properties"] = props });
        Assert.True(gbnf.Length < 20_000, $"grammar is {gbnf.Length} chars");
        var harness = GrammarHarness.FromGbnf(gbnf);
        harness.AssertAccepts("""{"p3":1,"p59":2}""");
        harness.AssertRejects("""{"p59":2,"p3":1}""");
    }

    [Fact]
    public void Same_schema_gives_the_same_grammar()
    {
        var schema = SchemaCases.Get("recursive-defs-2020").Schema;
        Assert.Equal(JsonSchemaGrammar.FromSchemaJson(schema), JsonSchemaGrammar.FromSchemaJson(schema));
    }
}
