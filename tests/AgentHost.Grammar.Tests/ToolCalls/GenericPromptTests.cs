namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>The system prompt that teaches the generic JSON format to models whose template cannot render tools.</summary>
public sealed class GenericPromptTests
{
    [Fact]
    public void Auto_prompt_lists_tools_with_schemas_and_both_reply_shapes()
    {
        var prompt = ToolCallFormat.GenericJson.BuildSystemPrompt(ToolFixtures.Tools, ToolChoice.Auto)!;
        foreach (var tool in ToolFixtures.Tools)
        {
            Assert.Contains(tool.Name, prompt, StringComparison.Ordinal);
            Assert.Contains(tool.Description!, prompt, StringComparison.Ordinal);
            Assert.Contains(tool.Parameters.ToJsonString(), prompt, StringComparison.Ordinal);
        }
        Assert.Contains("\"tool_calls\"", prompt, StringComparison.Ordinal);
        Assert.Contains("\"response\"", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_and_named_prompts_ask_for_a_call()
    {
        var required = ToolCallFormat.GenericJson.BuildSystemPrompt(ToolFixtures.Tools, ToolChoice.Required)!;
        Assert.DoesNotContain("\"response\"", required, StringComparison.Ordinal);
        Assert.Contains("must call", required, StringComparison.Ordinal);
        var named = ToolCallFormat.GenericJson.BuildSystemPrompt(ToolFixtures.Tools, ToolChoice.Function("search"))!;
        Assert.Contains("must call the tool search", named, StringComparison.Ordinal);
        Assert.DoesNotContain("get_weather", named, StringComparison.Ordinal);
    }

    [Fact]
    public void Formats_whose_templates_render_tools_need_no_prompt()
    {
        Assert.Null(ToolCallFormat.Hermes.BuildSystemPrompt(ToolFixtures.Tools, ToolChoice.Auto));
        Assert.Null(ToolCallFormat.GenericJson.BuildSystemPrompt(ToolFixtures.Tools, ToolChoice.None));
    }

    [Fact]
    public void Prompt_example_shapes_are_what_the_grammar_accepts()
    {
        var grammar = ToolCallFormat.GenericJson.Build(ToolFixtures.Tools, ToolChoice.Auto)!;
        var harness = Support.GrammarHarness.FromGbnf(grammar.Grammar);
        harness.AssertAccepts("""{"tool_calls": [{"name": "search", "arguments": {"query": "x"}}]}""");
        harness.AssertAccepts("""{"response": "<your answer>"}""");
    }
}
