using AgentHost.Grammar.Tests.Support;
using static AgentHost.Grammar.Tests.ToolCalls.ToolFixtures;

namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>
/// Auto mode: the grammar is lazy, the trigger fires on the real openers and not on ordinary text, and at the moment
/// it fires the text replayed into the grammar is already accepted (llama.cpp fails otherwise).
/// </summary>
public sealed class TriggerPatternTests
{
    public static TheoryData<ToolCallFormatKind, string> AutoModeOutputs => new()
    {
        { ToolCallFormatKind.Hermes, "Let me check that for you." + HermesCall("get_weather", WeatherArgs) },
        { ToolCallFormatKind.Hermes, HermesCall("search", SearchArgs).TrimStart() + HermesCall("get_weather", WeatherArgs) },
        { ToolCallFormatKind.Llama3Json, Llama3Call("get_weather", WeatherArgs) },
        { ToolCallFormatKind.Llama3Json, "  " + Llama3Call("search", SearchArgs) },
        { ToolCallFormatKind.Llama3Json, "<|python_tag|>" + Llama3Call("search", SearchArgs) },
        { ToolCallFormatKind.Llama3Json, "Calling it now. <|python_tag|>" + Llama3Call("search", SearchArgs) },
        { ToolCallFormatKind.MistralNemo, MistralCalls(("get_weather", WeatherArgs, "abc123XYZ")) },
        { ToolCallFormatKind.MistralNemo, "Sure. " + MistralCalls(("search", SearchArgs, "abc123XYZ"), ("get_weather", WeatherArgs, "XYZ123abc")) },
    };

    [Theory]
    [MemberData(nameof(AutoModeOutputs))]
    public void Trigger_fires_on_the_opener_and_the_grammar_accepts_the_replayed_text(ToolCallFormatKind kind, string output)
    {
        var grammar = ToolCallFormat.For(kind).Build(Tools, ToolChoice.Auto)!;
        Assert.True(grammar.Lazy);
        Assert.NotEmpty(grammar.TriggerPatterns);
        Assert.NotEmpty(grammar.TriggerWords);
        var harness = GrammarHarness.FromGbnf(grammar.Grammar);
        var triggered = LazyTrigger.Simulate(grammar.TriggerPatterns, output);
        Assert.NotNull(triggered);
        Assert.True(harness.Recognizer.AcceptsPrefix(triggered.Value.AtTrigger), $"grammar cannot continue from '{triggered.Value.AtTrigger}'");
        harness.AssertAccepts(triggered.Value.Constrained);
        // The calls start where the trigger fired: the parser sees the same calls.
        Assert.NotEmpty(ToolCallFormat.For(kind).Parse(output).ToolCalls);
    }

    [Theory]
    [InlineData(ToolCallFormatKind.Hermes, "The <tool> tag and tool_call are words; <tool_cal")]
    [InlineData(ToolCallFormatKind.Llama3Json, "Here is JSON: {\"name\": \"get_weather\"}")]
    [InlineData(ToolCallFormatKind.Llama3Json, "{\"name\": \"not_a_tool\", \"parameters\": {}}")]
    [InlineData(ToolCallFormatKind.Llama3Json, "{\"title\": \"x\"}")]
    [InlineData(ToolCallFormatKind.MistralNemo, "TOOL_CALLS [TOOL CALLS] [TOOL_CALLS")]
    public void Trigger_does_not_fire_on_ordinary_text(ToolCallFormatKind kind, string output)
    {
        var grammar = ToolCallFormat.For(kind).Build(Tools, ToolChoice.Auto)!;
        Assert.Null(LazyTrigger.Simulate(grammar.TriggerPatterns, output));
    }

    [Fact]
    public void Trigger_words_are_the_format_openers()
    {
        Assert.Equal(["<tool_call>"], ToolCallFormat.Hermes.Build(Tools, ToolChoice.Auto)!.TriggerWords);
        Assert.Equal(["[TOOL_CALLS]"], ToolCallFormat.MistralNemo.Build(Tools, ToolChoice.Auto)!.TriggerWords);
        Assert.Equal(["<|python_tag|>"], ToolCallFormat.Llama3Json.Build(Tools, ToolChoice.Auto)!.TriggerWords);
    }

    [Fact]
    public void Llama_pattern_lists_only_known_tools_and_follows_compact_whitespace()
    {
        var options = new ToolCallGrammarOptions { Schema = new JsonSchemaGrammarOptions { Whitespace = JsonWhitespace.Compact } };
        var grammar = ToolCallFormat.Llama3Json.Build(Tools, ToolChoice.Auto, options)!;
        Assert.NotNull(LazyTrigger.Simulate(grammar.TriggerPatterns, "{\"name\":\"search\",\"parameters\":{\"query\":\"q\"}}"));
        // With compact JSON the grammar cannot accept a space after the colon, so the trigger must not fire on it.
        Assert.Null(LazyTrigger.Simulate(grammar.TriggerPatterns, "{\"name\": \"search\", \"parameters\": {}}"));
    }
}
