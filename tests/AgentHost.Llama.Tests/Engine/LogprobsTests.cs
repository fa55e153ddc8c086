using AgentHost.Llama.Engine;
using AgentHost.Native;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>Token log-probabilities from the candidates left after the sampler chain, streaming and not.</summary>
public class LogprobsTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private static async Task<List<GenerationUpdate>> RunAsync(LlamaEngine engine, GenerationRequest request)
    {
        var updates = new List<GenerationUpdate>();
        await foreach (var u in engine.GenerateAsync(request)) updates.Add(u);
        return updates;
    }

    [Fact]
    public async Task GreedyPicksTheTopTokenAndTheTextIsUnchanged()
    {
        var plain = await fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy("Once upon a time", 24));
        var updates = await RunAsync(fixture.Engine, StoriesModelFixture.Greedy("Once upon a time", 24) with { TopLogprobs = 5 });
        var logprobs = updates.Where(u => u.Logprobs is not null).SelectMany(u => u.Logprobs!).ToList();
        Assert.Equal(plain.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(24, logprobs.Count);
        Assert.Equal(plain.Text, string.Concat(logprobs.Select(l => l.Text)));
        var offset = 0;
        foreach (var l in logprobs)
        {
            Assert.Equal(5, l.TopLogprobs.Count);
            Assert.Equal(l.Token, l.TopLogprobs[0].Token);
            Assert.Equal(l.Logprob, l.TopLogprobs[0].Logprob);
            for (var i = 1; i < 5; i++) Assert.True(l.TopLogprobs[i - 1].Logprob >= l.TopLogprobs[i].Logprob);
            // Greedy leaves the whole vocabulary: the five best hold at most all the probability mass.
            Assert.InRange(l.TopLogprobs.Sum(a => Math.Exp(a.Logprob)), 0.0, 1.0 + 1e-5);
            Assert.Equal(offset, l.TextOffset);
            offset += l.Text.Length;
        }

        // Non-streaming: the same probabilities, all on the final update.
        var buffered = await RunAsync(fixture.Engine, StoriesModelFixture.Greedy("Once upon a time", 24) with { TopLogprobs = 5, StreamTokens = false });
        Assert.Equal(logprobs.Select(l => l.Token), buffered[^1].Logprobs!.Select(l => l.Token));
        Assert.NotNull(buffered[^1].Timings);
        Assert.Equal(24, buffered[^1].Timings!.GeneratedTokens);
    }

    [Fact]
    public async Task ProbabilitiesAreOverTheCandidatesTheChainLeaves()
    {
        // top_k = 3: the chain keeps three candidates, renormalised, so three alternatives carry all the mass and
        // the sampled token is one of them.
        var request = new GenerationRequest
        {
            Prompt = "The little dog",
            MaxTokens = 16,
            TopLogprobs = 10,
            Sampling = new SamplerSettings { Temperature = 0.9f, TopK = 3, TopP = 1, MinP = 0, Seed = 7 },
        };
        var updates = await RunAsync(fixture.Engine, request);
        var logprobs = updates.Where(u => u.Logprobs is not null).SelectMany(u => u.Logprobs!).ToList();
        Assert.NotEmpty(logprobs);
        foreach (var l in logprobs)
        {
            Assert.InRange(l.TopLogprobs.Count, 1, 3);
            Assert.Equal(1.0, l.TopLogprobs.Sum(a => Math.Exp(a.Logprob)), 4);
            Assert.Contains(l.Token, l.TopLogprobs.Select(a => a.Token));
            Assert.Equal(l.Logprob, l.TopLogprobs.Single(a => a.Token == l.Token).Logprob);
        }
        // Same seed, no probabilities asked: the same tokens (the extra pass changes nothing in the sampling).
        var plain = await fixture.Engine.CompleteAsync(request with { TopLogprobs = null });
        Assert.Equal(plain.Text, string.Concat(updates.Select(u => u.Text)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(GenerationRequest.MaxTopLogprobs + 1)]
    public async Task OutOfRangeTopLogprobsIsATypedError(int top)
    {
        var ex = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy("Once", 2) with { TopLogprobs = top }));
        Assert.Equal("TopLogprobs", ex.Parameter);
    }

    [Fact]
    public async Task PromptTokensOutsideTheVocabularyAreATypedError()
    {
        var ex = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => fixture.Engine.CompleteAsync(new GenerationRequest { PromptTokens = [1, 2, fixture.Model.VocabCount], MaxTokens = 2 }));
        Assert.Equal("PromptTokens[2]", ex.Parameter);
    }
}
