using System.Text.Json.Nodes;
using AgentHost.Grammar.Tests.Recognizer;
using AgentHost.Grammar.Tests.Support;
using static AgentHost.Grammar.Tests.ToolCalls.ToolFixtures;

namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>Tool-call grammars: what they accept per format and mode, and how their lazy triggers behave.</summary>
public sealed class ToolCallGrammarTests
{
    private static GrammarHarness Harness(ToolCallFormat format, ToolChoice choice, ToolCallGrammarOptions? options = null, IReadOnlyList<ToolDefinition>? tools = null)
    {
        var grammar = format.Build(tools ?? Tools, choice, options)!;
        Assert.Equal("root", grammar.Root);
        return GrammarHarness.FromGbnf(grammar.Grammar, grammar.Root);
    }

    public static TheoryData<ToolCallFormatKind, string> RequiredModeCalls => new()
    {
        { ToolCallFormatKind.Hermes, HermesCall("get_weather", WeatherArgs).TrimStart() },
        { ToolCallFormatKind.Hermes, HermesCall("get_weather", WeatherArgs).TrimStart() + HermesCall("search", SearchArgs) },
        { ToolCallFormatKind.Hermes, "<tool_call>{\"name\":\"search\",\"arguments\":{\"query\":\"x\"}}</tool_call>" },
        { ToolCallFormatKind.Llama3Json, Llama3Call("get_weather", WeatherArgs) },
        { ToolCallFormatKind.Llama3Json, "<|python_tag|>" + Llama3Call("search", SearchArgs) },
        { ToolCallFormatKind.MistralNemo, MistralCalls(("get_weather", WeatherArgs, "abc123XYZ")) },
        { ToolCallFormatKind.MistralNemo, MistralCalls(("get_weather", WeatherArgs, "abc123XYZ"), ("search", SearchArgs, "000000000")) },
        { ToolCallFormatKind.GenericJson, GenericCalls(("get_weather", WeatherArgs)) },
        { ToolCallFormatKind.GenericJson, GenericCalls(("search", SearchArgs), ("get_weather", """{"location": "Oslo"}""")) },
    };

    [Theory]
    [MemberData(nameof(RequiredModeCalls))]
    public void Required_mode_accepts_template_style_calls(ToolCallFormatKind kind, string output)
    {
        var grammar = ToolCallFormat.For(kind).Build(Tools, ToolChoice.Required)!;
        Assert.False(grammar.Lazy);
        Assert.Empty(grammar.TriggerPatterns);
        GrammarHarness.FromGbnf(grammar.Grammar).AssertAccepts(output);
    }

    public static TheoryData<ToolCallFormatKind, string> RequiredModeRejects => new()
    {
        { ToolCallFormatKind.Hermes, "Sure." + HermesCall("search", SearchArgs) },
        { ToolCallFormatKind.Hermes, HermesCall("unknown", SearchArgs).TrimStart() },
        { ToolCallFormatKind.Hermes, HermesCall("get_weather", """{"location": "Paris", "unit": "kelvin"}""").TrimStart() },
        { ToolCallFormatKind.Hermes, HermesCall("get_weather", """{"unit": "celsius"}""").TrimStart() },
        { ToolCallFormatKind.Hermes, HermesCall("search", """{"query": ""}""").TrimStart() },
        { ToolCallFormatKind.Hermes, HermesCall("search", """{"query": "x", "limit": 11}""").TrimStart() },
        { ToolCallFormatKind.Hermes, "<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"x\"}}" },
        { ToolCallFormatKind.Llama3Json, "{\"name\": \"search\", \"arguments\": {\"query\": \"x\"}}" },
        { ToolCallFormatKind.Llama3Json, Llama3Call("search", SearchArgs) + Llama3Call("search", SearchArgs) },
        { ToolCallFormatKind.MistralNemo, MistralCalls(("search", SearchArgs, "short")) },
        { ToolCallFormatKind.MistralNemo, "[TOOL_CALLS][]" },
        { ToolCallFormatKind.GenericJson, "{\"response\": \"hi\"}" },
        { ToolCallFormatKind.GenericJson, "{\"tool_calls\": []}" },
    };

    [Theory]
    [MemberData(nameof(RequiredModeRejects))]
    public void Required_mode_rejects_malformed_calls(ToolCallFormatKind kind, string output) =>
        Harness(ToolCallFormat.For(kind), ToolChoice.Required).AssertRejects(output);

    [Fact]
    public void Named_function_allows_only_that_function_once()
    {
        var harness = Harness(ToolCallFormat.Hermes, ToolChoice.Function("search"));
        harness.AssertAccepts(HermesCall("search", SearchArgs).TrimStart());
        harness.AssertRejects(HermesCall("get_weather", WeatherArgs).TrimStart());
        harness.AssertRejects(HermesCall("search", SearchArgs).TrimStart() + HermesCall("search", SearchArgs));
    }

    [Fact]
    public void Parallel_calls_can_be_turned_off()
    {
        var harness = Harness(ToolCallFormat.MistralNemo, ToolChoice.Required, new ToolCallGrammarOptions { ParallelToolCalls = false });
        harness.AssertAccepts(MistralCalls(("search", SearchArgs, "abcdefghi")));
        harness.AssertRejects(MistralCalls(("search", SearchArgs, "abcdefghi"), ("search", SearchArgs, "abcdefghj")));
    }

    [Fact]
    public void Generic_auto_mode_allows_a_plain_response_and_is_not_lazy()
    {
        var grammar = ToolCallFormat.GenericJson.Build(Tools, ToolChoice.Auto)!;
        Assert.False(grammar.Lazy);
        var harness = GrammarHarness.FromGbnf(grammar.Grammar);
        harness.AssertAccepts("{\"response\": \"It is sunny.\"}");
        harness.AssertAccepts(GenericCalls(("get_weather", WeatherArgs)));
        harness.AssertRejects("It is sunny.");
    }

    [Fact]
    public void Compact_whitespace_applies_to_the_arguments()
    {
        var options = new ToolCallGrammarOptions { Schema = new JsonSchemaGrammarOptions { Whitespace = JsonWhitespace.Compact } };
        var harness = Harness(ToolCallFormat.Llama3Json, ToolChoice.Required, options);
        harness.AssertAccepts("{\"name\":\"search\",\"parameters\":{\"query\":\"x\"}}");
        harness.AssertRejects("{\"name\": \"search\", \"parameters\": {\"query\": \"x\"}}");
    }

    [Theory]
    [InlineData(ToolCallFormatKind.Hermes)]
    [InlineData(ToolCallFormatKind.Llama3Json)]
    [InlineData(ToolCallFormatKind.MistralNemo)]
    [InlineData(ToolCallFormatKind.GenericJson)]
    public void Sampled_grammar_output_parses_into_calls_with_schema_valid_arguments(ToolCallFormatKind kind)
    {
        var format = ToolCallFormat.For(kind);
        var harness = Harness(format, ToolChoice.Required);
        var sampler = new GbnfSampler(harness.Grammar, seed: 17 + (int)kind);
        for (var i = 0; i < 25; i++)
        {
            var output = sampler.Sample();
            var result = format.Parse(output);
            Assert.True(result.ToolCalls.Count >= 1, $"no call parsed from {output}");
            Assert.Equal("", result.Text);
            foreach (var call in result.ToolCalls)
            {
                Assert.Contains(call.Name, Tools.Select(t => t.Name));
                Assert.True(SchemaValidator.IsValid(SchemaOf(call.Name), call.ArgumentsJson), $"invalid arguments {call.ArgumentsJson} in {output}");
            }
        }
    }

    [Fact]
    public void None_or_no_tools_means_no_grammar()
    {
        Assert.Null(ToolCallFormat.Hermes.Build(Tools, ToolChoice.None));
        Assert.Null(ToolCallFormat.Hermes.Build([], ToolChoice.Required));
    }

    [Fact]
    public void Bad_tool_choices_and_tool_lists_throw()
    {
        Assert.Throws<ArgumentException>(() => ToolCallFormat.Hermes.Build(Tools, ToolChoice.Function("missing")));
        Assert.Throws<ArgumentException>(() => ToolCallFormat.Hermes.Build([Tools[0], Tools[0]], ToolChoice.Auto));
    }

    [Fact]
    public void Unsupported_parameter_schema_names_the_tool_path_and_keyword()
    {
        var bad = new ToolDefinition("bad_tool", null, JsonNode.Parse("""{"type":"object","properties":{"x":{"type":"object","patternProperties":{"^a":{}}}}}"""));
        var strict = new ToolCallGrammarOptions { Schema = new JsonSchemaGrammarOptions { RejectUnsupportedKeywords = true } };
        var e = Assert.Throws<UnsupportedSchemaException>(() => ToolCallFormat.Hermes.Build([bad], ToolChoice.Auto, strict));
        Assert.Equal("#/tools/bad_tool/parameters/properties/x/patternProperties", e.SchemaPath);
        Assert.Equal("patternProperties", e.Keyword);
    }

    [Fact]
    public void Tools_without_parameters_take_an_empty_object()
    {
        var harness = Harness(ToolCallFormat.Llama3Json, ToolChoice.Required, tools: [new ToolDefinition("ping")]);
        harness.AssertAccepts("{\"name\": \"ping\", \"parameters\": {}}");
        harness.AssertRejects("{\"name\": \"ping\", \"parameters\": {\"a\": 1}}");
    }

    [Fact]
    public void Tool_names_needing_escapes_and_sharing_a_sanitized_name_stay_distinct()
    {
        var tools = new[]
        {
            new ToolDefinition("get.weather", null, JsonNode.Parse("""{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]}""")),
            new ToolDefinition("get-weather", null, JsonNode.Parse("""{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}""")),
        };
        var harness = Harness(ToolCallFormat.Llama3Json, ToolChoice.Required, tools: tools);
        harness.AssertAccepts("{\"name\": \"get.weather\", \"parameters\": {\"a\": 1}}");
        harness.AssertAccepts("{\"name\": \"get-weather\", \"parameters\": {\"b\": \"x\"}}");
        harness.AssertRejects("{\"name\": \"get.weather\", \"parameters\": {\"b\": \"x\"}}");
    }
}
