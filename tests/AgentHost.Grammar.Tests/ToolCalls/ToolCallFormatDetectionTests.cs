using AgentHost.Tests;

namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>Format detection against the real chat templates shipped with llama.cpp.</summary>
public sealed class ToolCallFormatDetectionTests
{
    [Theory]
    [InlineData("Qwen-Qwen2.5-7B-Instruct", ToolCallFormatKind.Hermes)]
    [InlineData("NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use", ToolCallFormatKind.Hermes)]
    [InlineData("NousResearch-Hermes-3-Llama-3.1-8B-tool_use", ToolCallFormatKind.Hermes)]
    [InlineData("Qwen-Qwen3-0.6B", ToolCallFormatKind.Hermes)]
    [InlineData("meta-llama-Llama-3.1-8B-Instruct", ToolCallFormatKind.Llama3Json)]
    [InlineData("meta-llama-Llama-3.2-3B-Instruct", ToolCallFormatKind.Llama3Json)]
    [InlineData("meta-llama-Llama-3.3-70B-Instruct", ToolCallFormatKind.Llama3Json)]
    [InlineData("mistralai-Mistral-Nemo-Instruct-2407", ToolCallFormatKind.MistralNemo)]
    [InlineData("google-gemma-2-2b-it", ToolCallFormatKind.GenericJson)]
    [InlineData("microsoft-Phi-3.5-mini-instruct", ToolCallFormatKind.GenericJson)]
    [InlineData("Qwen3-Coder", ToolCallFormatKind.GenericJson)]
    [InlineData("Mistral-Small-3.2-24B-Instruct-2506", ToolCallFormatKind.GenericJson)]
    [InlineData("meetkai-functionary-medium-v3.1", ToolCallFormatKind.GenericJson)]
    public void Detects_the_format_of_real_templates(string template, ToolCallFormatKind expected)
    {
        var source = File.ReadAllText(TestAssets.ChatTemplate(template));
        Assert.Equal(expected, ToolCallFormat.Detect(source).Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{% for m in messages %}{{ m.content }}{% endfor %}")]
    public void Templates_without_tool_syntax_get_the_generic_format(string? source)
    {
        var format = ToolCallFormat.Detect(source);
        Assert.Equal(ToolCallFormatKind.GenericJson, format.Kind);
        Assert.False(format.TemplateRendersTools);
    }

    [Fact]
    public void Example_replies_use_the_fragments_the_templates_render()
    {
        string Src(string name) => File.ReadAllText(TestAssets.ChatTemplate(name));
        // The fixtures in ToolFixtures mirror these template fragments.
        Assert.Contains("'\\n<tool_call>\\n{\"name\": \"'", Src("Qwen-Qwen2.5-7B-Instruct"), StringComparison.Ordinal);
        Assert.Contains("'\", \"arguments\": '", Src("Qwen-Qwen2.5-7B-Instruct"), StringComparison.Ordinal);
        Assert.Contains("'}\\n</tool_call>'", Src("Qwen-Qwen2.5-7B-Instruct"), StringComparison.Ordinal);
        Assert.Contains("'{\"name\": \"' + tool_call.name + '\", '", Src("meta-llama-Llama-3.1-8B-Instruct"), StringComparison.Ordinal);
        Assert.Contains("'\"parameters\": '", Src("meta-llama-Llama-3.1-8B-Instruct"), StringComparison.Ordinal);
        Assert.Contains("\"[TOOL_CALLS][\"", Src("mistralai-Mistral-Nemo-Instruct-2407"), StringComparison.Ordinal);
        Assert.Contains("', \"id\": \"' + tool_call.id + '\"}'", Src("mistralai-Mistral-Nemo-Instruct-2407"), StringComparison.Ordinal);
    }
}
