using System.Text.RegularExpressions;
using AgentHost.Plugins.Summarization;
using AgentHost.Plugins.Tests.Support;
using AgentHost.Plugins.Text;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Tests.Summarization;

/// <summary>Map-reduce sizing, ordering and structured merging of the summarizer, over scripted models.</summary>
public partial class SummarizerTests
{
    private static PluginHost Host(ScriptedChatClient client, int context = 4096, int parallel = 3) =>
        new(client, new ApproximateTokenCounter(context), o => o.MaxParallelRequests = parallel);

    private static bool IsSummarize(ChatCall c) => c.System.StartsWith("You summarize texts", StringComparison.Ordinal);
    private static bool IsCombine(ChatCall c) => c.System.StartsWith("You combine summaries", StringComparison.Ordinal);

    /// <summary>"Section 1 … Section 60": each paragraph names its number, so summaries can say which sections they cover.</summary>
    private static string Document(int sections) => string.Join("\n\n", Enumerable.Range(1, sections).Select(i =>
        $"Section {i}. The committee discussed item {i} at length and agreed on a plan. Several members raised concerns about the budget for item {i}."));

    /// <summary>A summary that lists the section numbers its input mentions ("S3 S4 S5"), or the numbers of the partial summaries it combines.</summary>
    private static string Covering(string input) => string.Join(' ', SectionNumber().Matches(input).Select(m => "S" + m.Groups[1].Value).Distinct());

    [Fact]
    public async Task ShortTextIsOneRequestInTheRequestedStyle()
    {
        var client = new ScriptedChatClient(_ => "- Revenue rose.\n- Costs fell.");
        using var host = Host(client);
        var result = await host.Get<Summarizer>().SummarizeAsync(host.Kernel, "Revenue rose. Costs fell.", SummaryStyle.Bullets, 30);
        Assert.Equal("- Revenue rose.\n- Costs fell.", result.Summary);
        Assert.Equal(1, result.Chunks);
        Assert.Equal(0, result.ReduceRounds);
        var call = Assert.Single(client.Calls);
        Assert.Contains("Style: bullets\nMaximum words: 30", call.User);
    }

    [Fact]
    public async Task TheWordLimitIsEnforcedEvenWhenTheModelIgnoresIt()
    {
        using var host = Host(new ScriptedChatClient(_ => string.Join(' ', Enumerable.Repeat("word", 80)) + "."));
        var result = await host.Get<Summarizer>().SummarizeAsync(host.Kernel, "Some text to summarize.", SummaryStyle.Paragraph, 10);
        Assert.True(result.Truncated);
        Assert.Equal(10, WordLimit.Count(result.Summary));
    }

    [Fact]
    public async Task LongDocumentsAreMapReducedInDocumentOrder()
    {
        var random = new Random(3);
        var client = new ScriptedChatClient(async call =>
        {
            int delay;
            lock (random) delay = random.Next(0, 20);
            await Task.Delay(delay); // map calls finish out of order
            var text = IsCombine(call) ? "ALL " + Covering(FakeModels.InputText(call, "in document order:\n")) : Covering(FakeModels.InputText(call));
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, text));
        });
        const int context = 1200;
        using var host = Host(client, context);
        var result = await host.Get<Summarizer>().SummarizeAsync(host.Kernel, Document(150), SummaryStyle.Tldr, 500);

        var maps = client.Calls.Where(IsSummarize).ToList();
        var combine = Assert.Single(client.Calls, IsCombine);
        Assert.True(maps.Count > 3, $"expected several chunks, got {maps.Count}");
        Assert.Equal(maps.Count, result.Chunks);
        Assert.Equal(1, result.ReduceRounds);
        // The reduce prompt numbers the partial summaries in document order, whatever order they finished in.
        var partials = FakeModels.InputText(combine, "in document order:\n").Split("\n\n");
        Assert.Equal(Enumerable.Range(1, maps.Count).Select(i => $"[{i}] "), partials.Select(p => p[..(p.IndexOf(']') + 2)]));
        Assert.Equal("ALL " + string.Join(' ', Enumerable.Range(1, 150).Select(i => "S" + i)), result.Summary);
        Assert.Contains("Style: tldr\nMaximum words: 500", combine.User);
        // Intermediate summaries are paragraphs; every request fits the context window with its answer.
        Assert.All(maps, m => Assert.Contains("Style: paragraph", m.User));
        var counter = new ApproximateTokenCounter(context);
        Assert.All(client.Calls, c => Assert.True(counter.CountTokens(c.System + c.User) + c.Options!.MaxOutputTokens <= context,
            $"request of {counter.CountTokens(c.System + c.User)} tokens + {c.Options.MaxOutputTokens} output exceeds {context}"));
    }

    [Fact]
    public async Task PartialSummariesThatDoNotFitTogetherAreReducedInSeveralRounds()
    {
        // Verbose partial summaries: each repeats its sections many times, so they cannot all go into one request.
        var client = new ScriptedChatClient(call => IsCombine(call)
            ? Covering(FakeModels.InputText(call, "in document order:\n")) + " " + string.Join(' ', Enumerable.Repeat("detail", 60))
            : Covering(FakeModels.InputText(call)) + " " + string.Join(' ', Enumerable.Repeat("detail", 60)));
        const int context = 1200;
        using var host = Host(client, context);
        var result = await host.Get<Summarizer>().SummarizeAsync(host.Kernel, Document(150), SummaryStyle.Paragraph, 2000);
        Assert.True(result.ReduceRounds >= 2, $"expected several reduce rounds, got {result.ReduceRounds}");
        Assert.StartsWith(string.Join(' ', Enumerable.Range(1, 150).Select(i => "S" + i)) + " detail", result.Summary);
        var counter = new ApproximateTokenCounter(context);
        Assert.All(client.Calls, c => Assert.True(counter.CountTokens(c.System + c.User) + c.Options!.MaxOutputTokens <= context));
    }

    [Fact]
    public async Task KeyPointsOfLongDocumentsAreMergedTopPointsFirst()
    {
        var client = new ScriptedChatClient(call =>
        {
            var sections = SectionNumber().Matches(FakeModels.InputText(call)).Select(m => m.Groups[1].Value).Distinct().ToList();
            return "{\"key_points\": [" + string.Join(", ", sections.Select(s => $"\"Point {s}.\"")) + ", \"Budget concerns.\"]}";
        });
        using var host = Host(client, context: 1500);
        var result = await host.Get<Summarizer>().KeyPointsAsync(host.Kernel, Document(60), maxPoints: 6);
        Assert.True(result.Ok, result.Error);
        var chunks = client.Calls.Count;
        Assert.True(chunks > 1);
        // First point of every chunk, then the second ones; the repeated point appears once.
        var firsts = client.Calls.Select(c => "Point " + SectionNumber().Match(FakeModels.InputText(c)).Groups[1].Value + ".").OrderBy(p => int.Parse(p[6..^1])).ToList();
        Assert.Equal(firsts.Take(6), result.Value!.KeyPoints.Take(Math.Min(6, chunks)).OrderBy(p => int.Parse(p[6..^1])));
        Assert.Equal(6, result.Value.KeyPoints.Count);
        Assert.Equal(result.Value.KeyPoints.Count, result.Value.KeyPoints.Distinct().Count());
    }

    [Fact]
    public async Task AChunkWhoseStructuredOutputDoesNotParseFailsTheCallNamingIt()
    {
        var calls = 0;
        var client = new ScriptedChatClient(_ => Interlocked.Increment(ref calls) == 2 ? "{\"key_points\": [\"ok\"" : "{\"key_points\": [\"A point.\"]}");
        using var host = Host(client, context: 1500, parallel: 1);
        var result = await host.Get<Summarizer>().KeyPointsAsync(host.Kernel, Document(60));
        Assert.False(result.Ok);
        Assert.Matches(@"^chunk 2 of \d+: Summarization\.KeyPoints: the model's output is not valid JSON", result.Error);
    }

    [Fact]
    public async Task ActionItemsAreParsedWithTheirPriority()
    {
        using var host = Host(new ScriptedChatClient(_ =>
            "```json\n{\"action_items\": [{\"task\": \"Send the draft\", \"owner\": \"Ana\", \"due\": \"Friday\", \"priority\": \"high\"}]}\n```"));
        var result = await host.Get<Summarizer>().ActionItemsAsync(host.Kernel, "Ana will send the draft by Friday.");
        Assert.True(result.Ok, result.Error);
        Assert.Equal(new ActionItem("Send the draft", "Ana", "Friday", ActionPriority.High), Assert.Single(result.Value!.ActionItems));
    }

    [Theory]
    [InlineData("{\"action_items\": [{\"task\": \"x\", \"owner\": \"\", \"due\": \"\", \"priority\": \"urgent\"}]}", "not valid JSON")]
    [InlineData("{\"action_items\": [{\"task\": \"x\", \"owner\": \"\", \"priority\": \"low\"}]}", "not valid JSON")]
    [InlineData("{\"action_items\": [{\"task\": \" \", \"owner\": \"\", \"due\": \"\", \"priority\": \"low\"}]}", "action_items[0].task is empty")]
    [InlineData("Sure! Here are the items: none.", "not valid JSON")]
    [InlineData("", "returned no output")]
    public async Task OutputThatBreaksTheSchemaIsAClearError(string output, string problem)
    {
        using var host = Host(new ScriptedChatClient(_ => output));
        var result = await host.Get<Summarizer>().ActionItemsAsync(host.Kernel, "Ana will send the draft by Friday.");
        Assert.False(result.Ok);
        Assert.StartsWith("Summarization.ActionItems: ", result.Error);
        Assert.Contains(problem, result.Error);
    }

    [Theory]
    [InlineData("paragraph", 0, "max_words: must be between 1 and 2000 (was 0)")]
    [InlineData("haiku", 50, "style: must be one of paragraph, bullets, tldr (was 'haiku')")]
    public async Task BadArgumentsAreRejectedByThePlugin(string style, int maxWords, string message)
    {
        using var host = Host(new ScriptedChatClient(_ => "x"));
        var ex = await Assert.ThrowsAsync<PluginInputException>(() => host.Kernel.InvokeAsync("Summarization", "Summarize",
            new KernelArguments { ["text"] = "Some text.", ["style"] = style, ["max_words"] = maxWords }));
        Assert.Equal(message, ex.Message);
    }

    [GeneratedRegex(@"\bS(?:ection )?(\d+)\b")]
    private static partial Regex SectionNumber();
}
