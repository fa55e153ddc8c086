using AgentHost.Agents.Tests.Support;
using AgentHost.Agents.Tools;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Agents.Tests.Agents;

/// <summary>
/// Agents declared in configuration, resolved by name from DI, calling kernel functions as tools through the
/// framework's ChatClientAgent, over the local random-weight model (required tool choice: the grammar makes the call).
/// </summary>
public class AgentToolTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    [Fact]
    public void BuiltInAndDeclaredAgentsResolveByNameFromDi()
    {
        foreach (var name in new[] { "support", "writer", "translator", "summarizer", "weather" })
        {
            var agent = fixture.Services.GetRequiredKeyedService<AIAgent>(name);
            var chat = Assert.IsType<ChatClientAgent>(agent);
            Assert.Equal(name, chat.Name);
            Assert.False(string.IsNullOrWhiteSpace(chat.Description ?? chat.Instructions));
        }
        Assert.Contains("Escalate", fixture.Catalog.Get("support").Instructions);
        var ex = Assert.Throws<UnknownAgentException>(() => fixture.Services.GetRequiredKeyedService<AIAgent>("nobody"));
        Assert.Contains("nobody", ex.Message);
        Assert.Contains("support", ex.Message);
    }

    [Fact]
    public void SupportAgentsStateChangingToolsRequireApproval()
    {
        var tools = fixture.Catalog.KernelToolsFor("support", "C-1001");
        var byName = tools.OfType<AIFunction>().ToDictionary(t => t.Name);
        Assert.IsType<ApprovalRequiredAIFunction>(byName["CustomerService_EscalateToHuman"]);
        Assert.IsType<ApprovalRequiredAIFunction>(byName["CustomerService_UpdateTicket"]);
        Assert.IsNotType<ApprovalRequiredAIFunction>(byName["CustomerService_LookupOrder"]);
        Assert.IsNotType<ApprovalRequiredAIFunction>(byName["CustomerService_SearchKnowledgeBase"]);
    }

    [Fact]
    public async Task ToolRoundTripNonStreaming()
    {
        var agent = fixture.Services.GetAgent("weather");
        var session = await fixture.Sessions.OpenAsync("weather", "tool-rt-1");
        var before = fixture.Weather.Calls.Count;
        var response = await agent.RunAsync("What is the weather?", session);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        var results = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        Assert.NotEmpty(calls);
        Assert.Equal("Weather_GetWeather", calls[0].Name);
        Assert.Contains(calls[0].Arguments!["city"]!.ToString(), new[] { "Paris", "Oslo", "Lima" });
        Assert.Contains(results, r => r.CallId == calls[0].CallId && r.Result?.ToString()?.Contains("Sunny in", StringComparison.Ordinal) == true);
        Assert.True(fixture.Weather.Calls.Count > before);
        // The whole loop is in SQLite: user message, call, result, reply.
        var stored = await fixture.Sessions.MessagesAsync("tool-rt-1");
        Assert.Equal(ChatRole.User, stored[0].Role);
        Assert.Contains(stored, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.CallId == calls[0].CallId));
        Assert.Contains(stored, m => m.Contents.OfType<FunctionResultContent>().Any(c => c.CallId == calls[0].CallId));
    }

    [Fact]
    public async Task ToolRoundTripStreaming()
    {
        var agent = fixture.Services.GetAgent("weather");
        var session = await fixture.Sessions.OpenAsync("weather", "tool-rt-2");
        var updates = new List<AgentResponseUpdate>();
        await foreach (var u in agent.RunStreamingAsync("Weather please.", session)) updates.Add(u);
        var call = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().First();
        Assert.Equal("Weather_GetWeather", call.Name);
        var result = updates.SelectMany(u => u.Contents).OfType<FunctionResultContent>().First(r => r.CallId == call.CallId);
        Assert.StartsWith("Sunny in", result.Result?.ToString(), StringComparison.Ordinal);
        // No call syntax leaks into the streamed text.
        Assert.DoesNotContain("<tool_call>", string.Concat(updates.Select(u => u.Text)), StringComparison.Ordinal);
        var stored = await fixture.Sessions.MessagesAsync("tool-rt-2");
        Assert.Contains(stored, m => m.Contents.OfType<FunctionResultContent>().Any(c => c.CallId == call.CallId));
    }

    [Fact]
    public async Task AnAgentIsAToolOfAnother()
    {
        var translator = fixture.Catalog.Get("translator");
        var asTool = translator.AsAIFunction();
        Assert.Equal("translator", asTool.Name);
        var result = await asTool.InvokeAsync(new AIFunctionArguments { ["query"] = "Hello" });
        Assert.NotNull(result);
        Assert.False(string.IsNullOrEmpty(result.ToString()));
    }
}
