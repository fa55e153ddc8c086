using System.Text.Json;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;
using AgentHost.Plugins.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentHost.Plugins.Tests.CustomerService;

/// <summary>The multi-turn support conversation: per-customer history in SQLite and tools scoped to the customer.</summary>
public class SupportAgentTests
{
    /// <summary>
    /// A scripted assistant: asked about a broken item it opens a ticket with the CreateTicket tool and then tells
    /// the customer the id from the tool result; otherwise it says how many earlier user turns it can see.
    /// </summary>
    private static ScriptedChatClient Assistant() => new(call =>
    {
        var last = call.Messages.Last();
        if (last.Contents.OfType<FunctionResultContent>().SingleOrDefault() is { } result)
        {
            var json = JsonSerializer.SerializeToElement(result.Result);
            var id = json.GetProperty("value").EnumerateObject().First(p => p.Name.Equals("TicketId", StringComparison.OrdinalIgnoreCase)).Value.GetString();
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"I opened ticket {id} for you.")));
        }
        if (last.Text.Contains("broken", StringComparison.Ordinal))
        {
            var tool = call.Options!.Tools!.OfType<AIFunctionDeclaration>().Single(t => t.Name.EndsWith("CreateTicket", StringComparison.Ordinal)).Name;
            return Task.FromResult(FakeModels.ToolCall(tool, new() { ["subject"] = "Broken item", ["description"] = last.Text, ["priority"] = "high" }));
        }
        var earlier = call.Messages.Count(m => m.Role == ChatRole.User) - 1;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"I can see {earlier} earlier messages from you.")));
    });

    [Fact]
    public async Task EachCustomerHasTheirOwnPersistentConversation()
    {
        var client = Assistant();
        using var host = await CustomerServiceHost.CreateAsync(client);
        var agent = host.Get<SupportAgent>();

        var reply = await agent.ReplyAsync("C-1001", "My tent arrived broken.");
        Assert.Matches("^I opened ticket TCK-\\d{6} for you\\.$", reply);
        Assert.Equal("I can see 1 earlier messages from you.", await agent.ReplyAsync("C-1001", "Thanks. Anything else?"));
        Assert.Equal("I can see 0 earlier messages from you.", await agent.ReplyAsync("C-2002", "Hello?"));

        // The ticket was opened for the customer of the conversation, though the model never named one.
        var tickets = await host.Get<TicketRepository>().ListByCustomerAsync("C-1001", 10);
        var ticket = Assert.Single(tickets);
        Assert.Equal(reply, $"I opened ticket {ticket.TicketId} for you.");
        Assert.Equal((TicketPriority.High, "My tent arrived broken."), (ticket.Priority, ticket.Description));

        // The tools offered are the CustomerService ones only; the system message is the fixed instructions.
        Assert.All(client.Calls, c => Assert.All(c.Options!.Tools!, t => Assert.StartsWith("CustomerService", t.Name)));
        Assert.All(client.Calls, c => Assert.Equal(SupportAgent.Instructions, c.Messages[0].Text));

        // History lives in the database: a new agent (a restarted app) continues the conversation.
        var stored = await host.Get<ConversationRepository>().RecentAsync("C-1001", 10);
        Assert.Equal(["user", "assistant", "user", "assistant"], stored.Select(m => m.Role));
        Assert.Equal("My tent arrived broken.", stored[0].Content);
        var restarted = new SupportAgent(host.Kernel, new ConversationRepository(new SupportDatabase(host.Get<SupportDatabase>().Path)), host.Get<Microsoft.Extensions.Options.IOptions<AgentHostPluginOptions>>());
        Assert.Equal("I can see 2 earlier messages from you.", await restarted.ReplyAsync("C-1001", "Are you still there?"));
    }

    [Fact]
    public async Task HistoryIsCappedToTheConfiguredNumberOfMessages()
    {
        var client = Assistant();
        using var host = new PluginHost(client, configure: o => o.CustomerService.MaxHistoryMessages = 4);
        var agent = host.Get<SupportAgent>();
        for (var i = 0; i < 5; i++) await agent.ReplyAsync("C-9", $"Question {i}");
        var last = client.Calls.Last();
        Assert.Equal(1 + 4 + 1, last.Messages.Count); // system, the 4 most recent stored turns, the new message
        Assert.Equal("Question 2", last.Messages[1].Text);
    }

    [Theory]
    [InlineData("", "hi", "customer_id: '' is not a customer id")]
    [InlineData("C-1", " ", "message: must not be empty")]
    public async Task BadInputIsRejectedBeforeAnythingIsStored(string customer, string message, string error)
    {
        using var host = new PluginHost(Assistant());
        var ex = await Assert.ThrowsAsync<PluginInputException>(() => host.Get<SupportAgent>().ReplyAsync(customer, message));
        Assert.StartsWith(error, ex.Message);
    }
}
