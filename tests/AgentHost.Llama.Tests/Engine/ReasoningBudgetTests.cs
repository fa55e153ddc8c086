using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>
/// The thinking budget on the engine, over stories260K with made-up tags (the tracker follows text, so any tag
/// works): after the budget's tokens the engine writes the end tag's tokens itself, what came before is exactly what
/// the model writes without a budget, and after it the model goes on.
/// </summary>
public class ReasoningBudgetTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private const string EndTag = " The end.";

    private async Task<List<GenerationUpdate>> Run(string prompt, ReasoningBudget? budget, int maxTokens = 40)
    {
        var request = StoriesModelFixture.Greedy(prompt, maxTokens) with { ReasoningBudget = budget, RenderSpecialTokens = true };
        return await fixture.Engine.GenerateAsync(request).ToListAsync();
    }

    private static int[] Tokens(List<GenerationUpdate> updates) => [.. updates.Where(u => u.Token is not null).Select(u => u.Token!.Value)];

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(17)]
    public async Task A_block_open_from_the_prompt_is_closed_after_the_budget(int budget)
    {
        var free = Tokens(await Run("Once upon a time", null));
        var forced = fixture.Model.Tokenize(EndTag, addSpecial: false, parseSpecial: true);
        var updates = await Run("Once upon a time", new ReasoningBudget { Tokens = budget, StartTag = "<think>", EndTags = [EndTag], StartsInside = true });
        var tokens = Tokens(updates);

        Assert.Equal(free.Take(budget), tokens.Take(budget));
        Assert.Equal(forced, tokens.Skip(budget).Take(forced.Length));
        Assert.Contains(EndTag, string.Concat(updates.Select(u => u.Text)));
        // The model goes on after the forced tag (it is not the end of the reply).
        Assert.True(tokens.Length > budget + forced.Length, $"{tokens.Length} tokens");
        Assert.DoesNotContain(EndTag, fixture.Model.Detokenize(free));
    }

    [Fact]
    public async Task Counting_starts_at_the_start_tag_the_model_writes()
    {
        var free = Tokens(await Run("Once upon a time", null));
        // A start tag the model itself writes: the text of its first three tokens.
        var startTag = fixture.Model.Detokenize(free[..3]);
        var forced = fixture.Model.Tokenize(EndTag, addSpecial: false, parseSpecial: true);
        var tokens = Tokens(await Run("Once upon a time", new ReasoningBudget { Tokens = 4, StartTag = startTag, EndTags = [EndTag] }));

        Assert.Equal(free.Take(3 + 4), tokens.Take(3 + 4));
        Assert.Equal(forced, tokens.Skip(3 + 4).Take(forced.Length));
    }

    [Fact]
    public async Task A_block_that_closes_by_itself_is_left_alone()
    {
        var free = Tokens(await Run("Once upon a time", null));
        // The model's own fourth..sixth tokens serve as the end tag: it closes the block before the budget runs out.
        var endTag = fixture.Model.Detokenize(free[3..6]);
        var tokens = Tokens(await Run("Once upon a time", new ReasoningBudget { Tokens = 20, StartTag = "<think>", EndTags = [endTag], StartsInside = true }));
        Assert.Equal(free, tokens);
    }

    [Fact]
    public async Task Bad_budgets_are_typed_errors_naming_the_setting()
    {
        var bad = StoriesModelFixture.Greedy("Once", 4) with { ReasoningBudget = new ReasoningBudget { Tokens = -2, StartTag = "<think>", EndTags = ["</think>"] } };
        var ex = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => fixture.Engine.CompleteAsync(bad));
        Assert.Contains("reasoning_budget_tokens", ex.Message);
        var noEnd = StoriesModelFixture.Greedy("Once", 4) with { ReasoningBudget = new ReasoningBudget { Tokens = 3, StartTag = "<think>", EndTags = [] } };
        await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => fixture.Engine.CompleteAsync(noEnd));

        var options = new ChatOptions { AdditionalProperties = new() { [ChatReasoning.ThinkingBudgetKey] = "lots" } };
        var parse = Assert.Throws<InvalidGenerationRequestException>(() => ChatReasoning.From(options, new ReasoningDefaults()));
        Assert.Contains(ChatReasoning.ThinkingBudgetKey, parse.Message);
        Assert.Equal(64, ChatReasoning.From(new ChatOptions { AdditionalProperties = new() { [ChatReasoning.ReasoningBudgetKey] = 64 } }, new ReasoningDefaults()).BudgetTokens);
        Assert.Equal(-1, ChatReasoning.From(null, new ReasoningDefaults()).BudgetTokens);

        // The engine still works.
        Assert.NotEmpty((await fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy("Once", 4))).Text);
    }
}
