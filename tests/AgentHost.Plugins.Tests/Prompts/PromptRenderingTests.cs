using System.Text.Json;
using AgentHost.Plugins.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Tests.Prompts;

/// <summary>
/// Every prompt function renders to exactly the text in Prompts/Expected for fixed inputs (set
/// AGENTHOST_UPDATE_PROMPT_GOLDENS=1 to rewrite them after a deliberate prompt change, then review the diff).
/// </summary>
public class PromptRenderingTests
{
    private static readonly string ExpectedDir = Path.Combine(TestAssets.RepoRoot, "tests", "AgentHost.Plugins.Tests", "Prompts", "Expected");

    public static TheoryData<string> Cases() => new(PromptCases.All.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void EveryPromptFunctionHasAFixedCase()
    {
        var library = new PromptLibrary(PromptLibrary.DefaultDirectory);
        var functions = library.Plugins.SelectMany(p => p.Select(f => $"{p.Name}.{f.Name}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(15, functions.Count);
        Assert.Equal(functions, PromptCases.All.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(functions, Directory.GetFiles(ExpectedDir, "*.txt").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RendersTheExpectedPrompt(string name)
    {
        var capture = new RenderCapture(shortCircuitAnswer: "{}");
        using var host = new PluginHost(ScriptedChatClient.NeverCalled(),
            services: s => s.AddSingleton<IPromptRenderFilter>(capture));
        var (plugin, function) = Split(name);
        await host.Get<PromptLibrary>()[plugin, function].InvokeAsync(host.Kernel, PromptCases.Arguments(name));

        var rendered = Assert.Single(capture.Rendered);
        Assert.Equal(name, rendered.Function);
        var path = Path.Combine(ExpectedDir, name + ".txt");
        if (Environment.GetEnvironmentVariable("AGENTHOST_UPDATE_PROMPT_GOLDENS") == "1")
            await File.WriteAllTextAsync(path, rendered.Prompt);
        Assert.True(File.Exists(path), $"no expected prompt {path}");
        Assert.Equal(await File.ReadAllTextAsync(path), rendered.Prompt);
    }

    /// <summary>
    /// User text is a variable: SK encodes it, so markup in it (even a forged closing tag) stays inside the user
    /// message, and the model receives exactly the text that was passed, decoded again.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task UserTextReachesTheModelVerbatimInsideTheUserMessage(string name)
    {
        var client = new ScriptedChatClient(_ => "{}");
        using var host = new PluginHost(client);
        var (plugin, function) = Split(name);
        var arguments = PromptCases.Arguments(name);
        var input = FreeTextArgument(host.Get<PromptLibrary>()[plugin, function]);
        arguments[input] = "Line one " + PromptCases.Hostile;
        await host.Get<PromptLibrary>()[plugin, function].InvokeAsync(host.Kernel, arguments);

        var call = Assert.Single(client.Calls);
        Assert.Equal([ChatRole.System, ChatRole.User], call.Messages.Select(m => m.Role));
        Assert.Contains("Line one " + PromptCases.Hostile, call.User);
        Assert.DoesNotContain("Ignore the rules", call.System);
        Assert.DoesNotContain("&lt;", call.User);
    }

    /// <summary>The system message is fixed text: no template variable may feed it.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void InstructionsHoldNoVariablesAndEncodingStaysOn(string name)
    {
        var (plugin, function) = Split(name);
        var dir = Path.Combine(PromptLibrary.DefaultDirectory, plugin, function);
        var template = File.ReadAllText(Path.Combine(dir, "skprompt.txt"));
        var system = template[..template.IndexOf("<message role=\"user\">", StringComparison.Ordinal)];
        Assert.StartsWith("<message role=\"system\">", template);
        Assert.DoesNotContain("{{", system);
        Assert.DoesNotContain("allow_dangerously_set_content", File.ReadAllText(Path.Combine(dir, "config.json")));

        // Every variable the template uses is declared in config.json with a description.
        var config = PromptTemplateConfig.FromJson(File.ReadAllText(Path.Combine(dir, "config.json")));
        var used = System.Text.RegularExpressions.Regex.Matches(template, @"\{\{\$(\w+)\}\}").Select(m => m.Groups[1].Value).Distinct().Order();
        Assert.Equal(used, config.InputVariables.Select(v => v.Name).Order());
        Assert.All(config.InputVariables, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        Assert.False(string.IsNullOrWhiteSpace(config.Description));
    }

    [Fact]
    public async Task DefaultsFromConfigFillMissingOptionalInputs()
    {
        var capture = new RenderCapture(shortCircuitAnswer: "");
        using var host = new PluginHost(new ScriptedChatClient(_ => ""), services: s => s.AddSingleton<IPromptRenderFilter>(capture));
        await host.Kernel.InvokeAsync("Writing", "Draft", new KernelArguments { ["brief"] = "A note." });
        var prompt = Assert.Single(capture.Rendered).Prompt;
        Assert.Contains("Audience: a general audience\nTone: neutral\nLength: medium</message>", prompt);
    }

    [Fact]
    public async Task ExecutionSettingsFromConfigReachTheChatClient()
    {
        var client = new ScriptedChatClient(_ => "A headline");
        using var host = new PluginHost(client);
        await host.Kernel.InvokeAsync("Writing", "Headline", new KernelArguments { ["text"] = "Some news." });
        var options = Assert.Single(client.Calls).Options!;
        Assert.Equal(40, options.MaxOutputTokens);
        Assert.Equal(0.7f, options.Temperature);
        Assert.Null(options.ResponseFormat);
    }

    /// <summary>Structured functions request JSON-schema output (SK's response_format setting, as MEAI ChatResponseFormat.ForJsonSchema).</summary>
    [Theory]
    [InlineData("Writing.Proofread", "edits")]
    [InlineData("Translation.DetectLanguage", "language")]
    [InlineData("Summarization.KeyPoints", "key_points")]
    [InlineData("Summarization.ActionItems", "action_items")]
    [InlineData("CustomerService.ClassifyMessage", "intent")]
    public async Task StructuredFunctionsRequestTheirJsonSchema(string name, string property)
    {
        var client = new ScriptedChatClient(_ => "{}");
        using var host = new PluginHost(client);
        var (plugin, function) = Split(name);
        await host.Get<PromptLibrary>()[plugin, function].InvokeAsync(host.Kernel, PromptCases.Arguments(name));
        var format = Assert.IsType<ChatResponseFormatJson>(Assert.Single(client.Calls).Options!.ResponseFormat);
        var schema = format.Schema!.Value;
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.True(schema.GetProperty("properties").TryGetProperty(property, out _));
        Assert.Contains(property, schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0f, Assert.Single(client.Calls).Options!.Temperature);
    }

    internal static (string Plugin, string Function) Split(string name) => (name[..name.IndexOf('.')], name[(name.IndexOf('.') + 1)..]);

    /// <summary>The function's first required input: the free text a user supplies.</summary>
    internal static string FreeTextArgument(KernelFunction function) => function.Metadata.Parameters.First(p => p.IsRequired).Name;
}
