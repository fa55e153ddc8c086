using System.Text.RegularExpressions;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;
using AgentHost.Plugins.Summarization;
using AgentHost.Plugins.Tests.Prompts;
using AgentHost.Plugins.Translation;
using AgentHost.Plugins.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Tests.EndToEnd;

/// <summary>
/// Every function runs end to end over a real native model (random weights, so the text is noise: these tests check
/// the wiring, the budgets and what must hold whatever the model writes).
/// </summary>
[Collection(SyntheticModelCollection.Name)]
public partial class SyntheticModelTests(SyntheticModelFixture model)
{
    [Theory]
    [MemberData(nameof(PromptRenderingTests.Cases), MemberType = typeof(PromptRenderingTests))]
    public async Task EveryPromptFunctionRunsOnTheModel(string name)
    {
        var (plugin, function) = PromptRenderingTests.Split(name);
        var before = model.Engine.TokensGenerated;
        var result = await model.Host.Services.GetRequiredService<PromptLibrary>()[plugin, function].InvokeAsync(model.Kernel, PromptCases.Arguments(name));
        Assert.NotNull(result.GetValue<string>());
        Assert.True(model.Engine.TokensGenerated > before, "the model generated nothing");
    }

    /// <summary>
    /// Structured functions ask for JSON-schema output. Whether the answer parses depends on constrained decoding
    /// and the 16-token cap; both outcomes are checked strictly: a parsed value with defined enum values, or the
    /// clean error naming the function.
    /// </summary>
    [Fact]
    public async Task StructuredFunctionsParseOrFailCleanly()
    {
        var k = model.Kernel;
        async Task Check<T>(string plugin, string function, KernelArguments arguments, Func<T, bool> valid)
        {
            var result = (await k.InvokeAsync(plugin, function, arguments)).GetValue<ToolResult<T>>()!;
            if (result.Ok) Assert.True(valid(result.Value!), $"{plugin}.{function} parsed an invalid value");
            else Assert.Matches($"^{plugin}\\.{Regex.Escape(function == "DetectLanguage" ? "DetectLanguage" : function)}: the model('s output| returned no output| answered)", result.Error);
        }
        await Check<MessageClassification>("CustomerService", "ClassifyMessage", new() { ["message"] = "My tent arrived broken!" },
            c => Enum.IsDefined(c.Intent) && Enum.IsDefined(c.Sentiment) && Enum.IsDefined(c.Urgency));
        await Check<ProofreadResult>("Writing", "Proofread", new() { ["text"] = "Teh cat sat." }, p => p.Edits.All(e => Enum.IsDefined(e.Kind)));
        await Check<KeyPointsResult>("Summarization", "KeyPoints", new() { ["text"] = "The launch moves to May. Budget is unchanged." }, p => p.KeyPoints.All(x => x.Length > 0));
        await Check<ActionItemsResult>("Summarization", "ActionItems", new() { ["text"] = "Ana sends the draft on Friday." }, a => a.ActionItems.All(x => Enum.IsDefined(x.Priority)));

        // Detection of ambiguous text consults the model; an unusable answer falls back to the heuristic.
        var detection = (await k.InvokeAsync("Translation", "DetectLanguage", new() { ["text"] = "Hotel taxi restaurant" })).GetValue<ToolResult<LanguageDetection>>()!;
        if (detection.Ok) Assert.Contains(detection.Value!.Language, Languages.All.Select(l => l.Code));
        else Assert.StartsWith("Translation.DetectLanguage: ", detection.Error);
    }

    [Fact]
    public async Task TranslationKeepsEveryProtectedSpanWhateverTheModelWrites()
    {
        const string text = "Hello {name}, your order %s is <b>ready</b> and you can see it at https://example.com/help now.";
        var result = await model.Host.Services.GetRequiredService<Translator>().TranslateAsync(model.Kernel,
            new TranslationRequest { Text = text, TargetLanguage = "zh", SourceLanguage = "auto" });
        Assert.Equal("en", result.SourceLanguage);
        Assert.True(result.SourceDetected);
        Assert.Equal(5, result.ProtectedSpans);
        var at = 0;
        foreach (var span in new[] { "{name}", "%s", "<b>", "</b>", "https://example.com/help" })
        {
            // Each span is back, in its order (a random model never keeps the tokens, so the pieces between spans were translated one by one).
            var next = result.Text.IndexOf(span, at, StringComparison.Ordinal);
            Assert.True(next >= 0, $"'{span}' missing after position {at} in: {result.Text}");
            at = next + span.Length;
        }
        Assert.DoesNotContain("⟦", result.Text);
    }

    [Fact]
    public async Task LongTextIsTranslatedInChunksSizedWithTheModelsTokenizer()
    {
        // Every tenth paragraph carries a placeholder: they witness that chunks come back in order.
        var paragraphs = Enumerable.Range(1, 60).Select(i => i % 10 == 0
            ? $"Paragraph {i}: the warehouse ships order {{order{i}}} today and the customer is told by email."
            : $"Paragraph {i}: the warehouse ships the order today and the customer is told by email.");
        var text = string.Join("\n\n", paragraphs);
        var services = model.SmallContextHost.Services;
        var result = await services.GetRequiredService<Translator>().TranslateAsync(services.GetRequiredService<Kernel>(),
            new TranslationRequest { Text = text, TargetLanguage = "Chinese", SourceLanguage = "English" });
        Assert.True(result.Chunks >= 3, $"expected several chunks, got {result.Chunks}");
        var found = PlaceholderPattern().Matches(result.Text).Select(m => m.Value).Distinct();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"{{order{i * 10}}}"), found);
    }

    [Fact]
    public async Task LongDocumentsAreMapReducedToTheWordLimit()
    {
        var document = string.Join("\n\n", Enumerable.Range(1, 80).Select(i =>
            $"Section {i}. The committee reviewed proposal {i}, discussed its budget and timeline in detail, and asked the team for a revised plan before the next meeting."));
        var services = model.SmallContextHost.Services;
        var result = await services.GetRequiredService<Summarizer>().SummarizeAsync(services.GetRequiredService<Kernel>(), document, SummaryStyle.Bullets, 12);
        Assert.True(result.Chunks >= 2, $"expected map-reduce, got {result.Chunks} chunk(s)");
        Assert.True(result.ReduceRounds >= 1);
        Assert.True(AgentHost.Plugins.Text.WordLimit.Count(result.Summary) <= 12);
    }

    [Fact]
    public async Task ASupportConversationRunsWithToolsAndIsStored()
    {
        var agent = model.Host.Services.GetRequiredService<SupportAgent>();
        var reply = await agent.ReplyAsync("C-E2E", "Where is my order ORD-10042?");
        Assert.NotNull(reply);
        var stored = await model.Host.Services.GetRequiredService<ConversationRepository>().RecentAsync("C-E2E", 10);
        Assert.Equal(["user", "assistant"], stored.Select(m => m.Role));
        Assert.Equal(reply.Trim(), stored[1].Content);
    }

    [GeneratedRegex(@"\{order\d+\}")]
    private static partial Regex PlaceholderPattern();
}

[CollectionDefinition(Name)]
public sealed class SyntheticModelCollection : ICollectionFixture<SyntheticModelFixture>
{
    public const string Name = "synthetic model";
}
