using AgentHost.Agents.Sessions;
using AgentHost.Agents.Tests.Support;
using AgentHost.Plugins.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Agents.Tests.Sessions;

/// <summary>History that outgrows its budget reaches the model compacted, counted in the model's own tokens; the database keeps every message.</summary>
public class CompactionTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    [Fact]
    public async Task OldestWholeTurnsGiveWayToANoteWithinTheTokenBudget()
    {
        var tokens = fixture.Services.GetRequiredService<ITokenCounter>();
        var messages = new List<ChatMessage>();
        for (var i = 0; i < 8; i++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"Question number {i} about my order and its delivery date."));
            messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"call_{i}", "CustomerService_LookupOrder", new Dictionary<string, object?> { ["order_id"] = "ORD-10042" })]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"call_{i}", "{\"ok\":true,\"status\":\"shipped\"}")]));
            messages.Add(new ChatMessage(ChatRole.Assistant, $"Answer number {i}: it ships tomorrow."));
        }
        var total = messages.Sum(m => TokenBudgetChatReducer.CountTokens(m, tokens));
        var budget = total / 3;
        var reduced = (await new TokenBudgetChatReducer(tokens, () => budget).ReduceAsync(messages, default)).ToList();
        Assert.Contains("left out", reduced[0].Text, StringComparison.Ordinal);
        var kept = reduced.Skip(1).ToList();
        Assert.True(kept.Sum(m => TokenBudgetChatReducer.CountTokens(m, tokens)) <= budget);
        Assert.Equal(ChatRole.User, kept[0].Role); // whole turns only: a call never loses its result
        Assert.Equal(messages[^1], kept[^1]);
        Assert.Equal(messages.Skip(messages.Count - kept.Count), kept);
        // Counted with the model's tokenizer (Qwen2 BPE), not characters.
        Assert.Equal(tokens.CountTokens(messages[0].Text) + TokenBudgetChatReducer.MessageOverhead, TokenBudgetChatReducer.CountTokens(new ChatMessage(ChatRole.User, messages[0].Text), tokens));
    }

    [Fact]
    public async Task AnAgentSessionBeyondItsBudgetSendsLessButStoresEverything()
    {
        using var small = AgentsFixture.BuildHost(fixture.ModelPath, Path.Combine(fixture.Directory, "small.db"), extra: new Dictionary<string, string?> { ["AgentSessions:MaxHistoryTokens"] = "60" });
        var sessions = small.Services.GetRequiredService<AgentSessionService>();
        var agent = small.Services.GetAgent("chat");
        var session = await sessions.OpenAsync("chat", "long-1");
        long lastInput = 0;
        for (var i = 0; i < 5; i++)
            lastInput = (await agent.RunAsync($"Message {i}: tell me something about the weather in a long sentence.", session)).Usage?.InputTokenCount ?? 0;

        var full = await fixture.Sessions.OpenAsync("chat", "long-full");
        var fullAgent = fixture.Catalog.Get("chat");
        long fullInput = 0;
        for (var i = 0; i < 5; i++)
            fullInput = (await fullAgent.RunAsync($"Message {i}: tell me something about the weather in a long sentence.", full)).Usage?.InputTokenCount ?? 0;

        Assert.Equal(10, (await sessions.MessagesAsync("long-1")).Count);
        Assert.True(lastInput < fullInput, $"compacted {lastInput} vs full {fullInput}");
        Assert.True(lastInput <= 60 + 60, $"history budget 60 + instructions/template; prompt was {lastInput}");
    }
}
