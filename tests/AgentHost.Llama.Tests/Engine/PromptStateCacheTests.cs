using AgentHost.Llama.Engine;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>
/// A conversation that lost its slot to another one gets its KV state back from the prompt-state cache
/// (llama_state_seq_*) and continues exactly as a cold evaluation would.
/// </summary>
public class PromptStateCacheTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private const string History = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high. She asked her mom for help.";
    private const string Other = "The little dog ran to the big tree in the garden. He barked at the bird on the branch and wagged his tail. The bird sang a happy song and flew away over the fence.";

    private LlamaEngine Engine(int promptCacheMiB)
    {
        var options = StoriesModelFixture.Options(parallel: 1);
        options.PromptCacheMiB = promptCacheMiB;
        return LlamaEngine.Create(fixture.Model, options);
    }

    [Fact]
    public async Task AReturningConversationRestoresItsHistoryAndMatchesColdEvaluation()
    {
        using var engine = Engine(promptCacheMiB: 64);
        var first = await engine.CompleteAsync(StoriesModelFixture.Greedy(History, 16));
        await engine.CompleteAsync(StoriesModelFixture.Greedy(Other, 16)); // takes the only slot: the history is saved
        Assert.Equal(1, engine.PromptStatesSaved);

        var second = StoriesModelFixture.Greedy(History + first.Text + " Then", 24);
        var warm = await engine.CompleteAsync(second);
        Assert.Equal(1, engine.PromptStatesRestored);
        Assert.True(warm.CachedPromptTokens >= first.PromptTokens, $"expected the history ({first.PromptTokens} tokens) from the saved state, got {warm.CachedPromptTokens}");

        using var fresh = Engine(promptCacheMiB: 0);
        var cold = await fresh.CompleteAsync(second);
        Assert.Equal(0, cold.CachedPromptTokens);
        Assert.Equal(cold.Text, warm.Text);
    }

    [Fact]
    public async Task ARequestSharingOnlyTheOpeningOfASavedHistoryLeavesItForItsOwnConversation()
    {
        using var engine = Engine(promptCacheMiB: 64);
        var first = await engine.CompleteAsync(StoriesModelFixture.Greedy(History, 16));
        await engine.CompleteAsync(StoriesModelFixture.Greedy(Other, 8)); // takes the only slot: the history is saved
        // Another conversation with the same opening: restored from the saved history's first tokens...
        var opening = History[..History.IndexOf(" She wanted", StringComparison.Ordinal)];
        var sibling = await engine.CompleteAsync(StoriesModelFixture.Greedy(opening + " It was stuck in a tree and Lily was sad.", 8));
        Assert.Equal(1, engine.PromptStatesRestored);
        Assert.True(sibling.CachedPromptTokens >= 32, $"expected the shared opening from the saved state, got {sibling.CachedPromptTokens}");

        // ...and the history itself still comes back whole when its conversation returns.
        var second = StoriesModelFixture.Greedy(History + first.Text + " Then", 24);
        var warm = await engine.CompleteAsync(second);
        Assert.Equal(2, engine.PromptStatesRestored);
        Assert.True(warm.CachedPromptTokens >= first.PromptTokens, $"expected the history ({first.PromptTokens} tokens) from the saved state, got {warm.CachedPromptTokens}");

        using var fresh = Engine(promptCacheMiB: 0);
        Assert.Equal((await fresh.CompleteAsync(second)).Text, warm.Text);
    }

    [Fact]
    public async Task WithTheCacheOffTheHistoryIsEvaluatedAgain()
    {
        using var engine = Engine(promptCacheMiB: 0);
        var first = await engine.CompleteAsync(StoriesModelFixture.Greedy(History, 8));
        await engine.CompleteAsync(StoriesModelFixture.Greedy(Other, 8));
        var again = await engine.CompleteAsync(StoriesModelFixture.Greedy(History + first.Text, 8));
        Assert.Equal(0, engine.PromptStatesSaved);
        Assert.True(again.CachedPromptTokens < 8, $"nothing of the history should be reused, got {again.CachedPromptTokens}");
    }

    [Fact]
    public void LeastRecentlyUsedStatesGoFirstAndTheBoundHolds()
    {
        var cache = new PromptStateCache(capacityBytes: 100);
        Assert.True(cache.Add([1, 2, 3], new byte[40]));
        Assert.True(cache.Add([4, 5, 6], new byte[40]));
        Assert.True(cache.Add([7, 8, 9], new byte[40])); // [1,2,3] is evicted to fit
        Assert.Equal(2, cache.Count);
        Assert.Equal(80, cache.SizeBytes);
        Assert.Null(cache.FindLongestPrefix([1, 2, 3, 4]).Entry);
        var (entry, shared) = cache.FindLongestPrefix([4, 5, 99]);
        Assert.Equal(2, shared);
        cache.Take(entry!);
        Assert.Equal(1, cache.Count);
        Assert.False(cache.Add([1], new byte[101])); // larger than the whole cache: not kept
        Assert.True(cache.Add([7, 8, 9, 10], new byte[10])); // holds all of [7,8,9]: the shorter state is dropped
        Assert.Equal(1, cache.Count);
        Assert.Equal(4, cache.FindLongestPrefix([7, 8, 9, 10, 11]).Shared);
    }
}
