using System.Text;
using AgentHost.Llama.Engine;
using AgentHost.Native;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>Greedy decoding must equal llama.cpp's own llama-completion token for token (../shared/README.md).</summary>
public class ReferenceDecodeTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    public static TheoryData<string, string> References => new()
    {
        { "Once upon a time", ", there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it," },
        { "The little dog", " was a little girl named Lily. She loved to play with her toys and her toys. One day, she saw a big box with a big box. It was a big," },
    };

    [Theory]
    [MemberData(nameof(References))]
    public async Task GreedyMatchesLlamaCompletion(string prompt, string expected)
    {
        var result = await fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy(prompt, 48));
        Assert.Equal(expected, result.Text);
        Assert.Equal(48, result.CompletionTokens);
        Assert.Equal(GenerationFinishReason.Length, result.FinishReason);
    }

    [Fact]
    public async Task StreamingEqualsNonStreaming()
    {
        var request = StoriesModelFixture.Greedy("Once upon a time", 40);
        var streamed = new StringBuilder();
        var updates = 0;
        await foreach (var u in fixture.Engine.GenerateAsync(request)) { streamed.Append(u.Text); updates++; }
        var whole = await fixture.Engine.CompleteAsync(request);
        Assert.Equal(whole.Text, streamed.ToString());
        Assert.True(updates > 10, "streaming should deliver many updates");
    }

    [Fact]
    public async Task SameSeedSameText_DifferentSeedsDiffer()
    {
        GenerationRequest Sampled(uint seed) => new()
        {
            Prompt = "Once upon a time",
            MaxTokens = 40,
            Sampling = new SamplerSettings { Temperature = 1.0f, TopK = 0, TopP = 1, MinP = 0, Seed = seed },
        };
        var a = await fixture.Engine.CompleteAsync(Sampled(7));
        var b = await fixture.Engine.CompleteAsync(Sampled(7));
        Assert.Equal(a.Text, b.Text);
        var others = await Task.WhenAll(Enumerable.Range(100, 4).Select(s => fixture.Engine.CompleteAsync(Sampled((uint)s))));
        Assert.Contains(others, o => o.Text != a.Text);
    }

    [Fact]
    public async Task StopSequenceEndsGenerationAndIsNotEmitted()
    {
        var request = StoriesModelFixture.Greedy("Once upon a time", 48) with { StopSequences = ["Lily"] };
        var result = await fixture.Engine.CompleteAsync(request);
        Assert.Equal(", there was a little girl named ", result.Text);
        Assert.Equal(GenerationFinishReason.Stop, result.FinishReason);
    }

    [Fact]
    public async Task ConcurrentRequestsEqualSerialResults()
    {
        var prompts = new[] { "Once upon a time", "The little dog", "One day, a cat", "Tom had a red" };
        var serial = new List<string>();
        foreach (var p in prompts) serial.Add((await fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy(p, 32))).Text);
        var parallel = await Task.WhenAll(prompts.Select(p => fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy(p, 32))));
        Assert.Equal(serial, parallel.Select(r => r.Text));
    }

    [Fact]
    public async Task ConcurrentSampledAndGrammarRequestsEqualSerialResults()
    {
        // Sequences decoded together are sampled in parallel, each by its own chain: seeded sampling and grammars
        // give what each request gives alone.
        static GenerationRequest Request(string prompt, int seed, bool grammar) => new()
        {
            Prompt = prompt,
            MaxTokens = 24,
            Sampling = new SamplerSettings { Temperature = 1, TopK = 0, TopP = 1, Seed = (uint)seed, Grammar = grammar ? "root ::= [a-z ]{8,60} \".\"" : null },
        };
        var requests = new[] { Request("Once upon a time", 1, false), Request("The little dog", 2, true), Request("One day, a cat", 3, true), Request("Tom had a red", 4, false) };
        var serial = new List<string>();
        foreach (var r in requests) serial.Add((await fixture.Engine.CompleteAsync(r)).Text);
        var parallel = await Task.WhenAll(requests.Select(r => fixture.Engine.CompleteAsync(r)));
        Assert.Equal(serial, parallel.Select(r => r.Text));
        Assert.All(serial.Where((_, i) => requests[i].Sampling.Grammar is not null), t => Assert.Matches("^[a-z ]*\\.?$", t));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BatchedEqualsSerialWithEitherKvLayout(bool unifiedKvCache)
    {
        var options = StoriesModelFixture.Options(parallel: 4);
        options.UnifiedKvCache = unifiedKvCache;
        using var engine = LlamaEngine.Create(fixture.Model, options);
        var prompts = new[] { "Once upon a time", "The little dog", "One day, a cat", "Tom had a red" };
        var serial = new List<string>();
        foreach (var p in prompts) serial.Add((await engine.CompleteAsync(StoriesModelFixture.Greedy(p, 32))).Text);
        var batched = await Task.WhenAll(prompts.Select(p => engine.CompleteAsync(StoriesModelFixture.Greedy(p, 32))));
        Assert.Equal(serial, batched.Select(r => r.Text));
    }

    [Fact]
    public async Task NonStreamingRequestIsOneUpdateWithTheWholeText()
    {
        var request = StoriesModelFixture.Greedy("Once upon a time", 40);
        var streamed = new StringBuilder();
        await foreach (var u in fixture.Engine.GenerateAsync(request)) streamed.Append(u.Text);
        var updates = new List<GenerationUpdate>();
        await foreach (var u in fixture.Engine.GenerateAsync(request with { StreamTokens = false })) updates.Add(u);
        var only = Assert.Single(updates);
        Assert.Equal(streamed.ToString(), only.Text);
        Assert.Equal(40, only.CompletionTokens);
        Assert.Equal(GenerationFinishReason.Length, only.FinishReason);
    }

    [Fact]
    public async Task WarmCacheGivesSameResultAsCold()
    {
        using var engine = LlamaEngine.Create(fixture.Model, StoriesModelFixture.Options(parallel: 1));
        var first = StoriesModelFixture.Greedy("Once upon a time, there was a little girl named Lily.", 16);
        var cold = await engine.CompleteAsync(first);
        Assert.Equal(0, cold.CachedPromptTokens);
        var second = StoriesModelFixture.Greedy("Once upon a time, there was a little girl named Lily. She", 16);
        var warm = await engine.CompleteAsync(second);
        Assert.True(warm.CachedPromptTokens >= cold.PromptTokens - 1, $"expected the first prompt to be reused, got {warm.CachedPromptTokens}");

        using var fresh = LlamaEngine.Create(fixture.Model, StoriesModelFixture.Options(parallel: 1));
        var reference = await fresh.CompleteAsync(second);
        Assert.Equal(0, reference.CachedPromptTokens);
        Assert.Equal(reference.Text, warm.Text);
    }

    [Fact]
    public async Task UsageCountsPromptAndCompletionTokens()
    {
        var prompt = "Once upon a time";
        var expectedPrompt = fixture.Model.Tokenize(prompt, addSpecial: true, parseSpecial: false).Length;
        var result = await fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy(prompt, 5));
        Assert.Equal(expectedPrompt, result.PromptTokens);
        Assert.Equal(5, result.CompletionTokens);
    }
}
