using System.Text.Json;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AgentHost.Plugins.Tests.CustomerService;

public class CustomerServicePluginTests
{
    private static async Task<ToolResult<T>> Invoke<T>(Kernel kernel, string function, KernelArguments arguments) =>
        (await kernel.InvokeAsync(CustomerServicePlugin.PluginName, function, arguments)).GetValue<ToolResult<T>>()!;

    private static ScriptedChatClient Silent() => new(_ => "");

    [Fact]
    public async Task LookupOrderReturnsTheOrderWithItemsAndTracking()
    {
        using var host = await CustomerServiceHost.CreateAsync(Silent());
        var result = await Invoke<Order>(host.Kernel, "LookupOrder", new() { ["order_id"] = " ord-10042 " });
        Assert.True(result.Ok, result.Error);
        var order = result.Value!;
        Assert.Equal(("ORD-10042", "C-1001", OrderStatus.Shipped, "DHL", "JD014600006281230"), (order.OrderId, order.CustomerId, order.Status, order.Carrier, order.TrackingNumber));
        Assert.Equal(new DateOnly(2025, 11, 14), order.EstimatedDelivery);
        Assert.Equal(["Ridge 2-person tent, green", "Insulated bottle 750 ml"], order.Items.Select(i => i.Name));
    }

    [Theory]
    [InlineData("10042", "order_id: '10042' is not an order id (expected ORD- and 4 to 10 digits, e.g. ORD-10042)")]
    [InlineData("ORD-99999", "order_id: there is no order ORD-99999")]
    public async Task LookupOrderErrorsAreMessagesNotExceptions(string id, string error)
    {
        using var host = await CustomerServiceHost.CreateAsync(Silent());
        var result = await Invoke<Order>(host.Kernel, "LookupOrder", new() { ["order_id"] = id });
        Assert.False(result.Ok);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public async Task AConversationOnlySeesItsOwnCustomersRecords()
    {
        using var host = await CustomerServiceHost.CreateAsync(Silent());
        var ana = CustomerContext.For(host.Kernel, "C-1001");
        Assert.True((await Invoke<Order>(ana, "LookupOrder", new() { ["order_id"] = "ORD-10042" })).Ok);
        var other = await Invoke<Order>(ana, "LookupOrder", new() { ["order_id"] = "ORD-10063" });
        Assert.Equal("order_id: there is no order ORD-10063 for customer C-1001", other.Error);
        var impersonation = await Invoke<IReadOnlyList<Order>>(ana, "ListOrders", new() { ["customer_id"] = "C-2002" });
        Assert.Equal("customer_id: this conversation is with customer C-1001; leave customer_id empty", impersonation.Error);
        Assert.Equal(["ORD-10057", "ORD-10042"], (await Invoke<IReadOnlyList<Order>>(ana, "ListOrders", new())).Value!.Select(o => o.OrderId));

        var liTicket = await Invoke<Ticket>(CustomerContext.For(host.Kernel, "C-2002"), "CreateTicket", new() { ["subject"] = "Strap", ["description"] = "Strap tore." });
        var peek = await Invoke<Ticket>(ana, "GetTicket", new() { ["ticket_id"] = liTicket.Value!.TicketId });
        Assert.Equal($"ticket_id: there is no ticket {liTicket.Value.TicketId} for customer C-1001", peek.Error);
    }

    [Fact]
    public async Task TicketLifecycleIsRecordedInTheHistory()
    {
        using var host = await CustomerServiceHost.CreateAsync(Silent());
        var kernel = CustomerContext.For(host.Kernel, "C-1001");
        var created = await Invoke<Ticket>(kernel, "CreateTicket", new()
        {
            ["subject"] = "Tent arrived torn", ["description"] = "The tent from ORD-10042 has a tear in the fly.", ["priority"] = "HIGH", ["order_id"] = "ORD-10042",
        });
        Assert.True(created.Ok, created.Error);
        Assert.Matches("^TCK-\\d{6}$", created.Value!.TicketId);
        Assert.Equal((TicketStatus.Open, TicketPriority.High, "ORD-10042", "C-1001"), (created.Value.Status, created.Value.Priority, created.Value.OrderId, created.Value.CustomerId));

        var updated = await Invoke<Ticket>(kernel, "UpdateTicket", new() { ["ticket_id"] = created.Value.TicketId.ToLowerInvariant(), ["status"] = "pending-customer", ["note"] = "Asked for a photo." });
        Assert.Equal(TicketStatus.PendingCustomer, updated.Value!.Status);
        Assert.Equal(["created", "status", "note"], updated.Value.Events.Select(e => e.Kind));
        Assert.Equal("open -> pending_customer", updated.Value.Events[1].Text);

        var closed = await Invoke<Ticket>(kernel, "UpdateTicket", new() { ["ticket_id"] = created.Value.TicketId, ["status"] = "closed" });
        Assert.Equal(TicketStatus.Closed, closed.Value!.Status);
        var reopened = await Invoke<Ticket>(kernel, "UpdateTicket", new() { ["ticket_id"] = created.Value.TicketId, ["note"] = "more" });
        Assert.Equal($"ticket_id: ticket {created.Value.TicketId} is closed and cannot change; open a new ticket instead", reopened.Error);
    }

    [Theory]
    [InlineData("CreateTicket", "priority", "whenever", "priority: must be one of low, normal, high, urgent (was 'whenever')")]
    [InlineData("CreateTicket", "subject", " ", "subject: must not be empty")]
    [InlineData("CreateTicket", "order_id", "ORD-10063", "order_id: there is no order ORD-10063 for customer C-1001")]
    [InlineData("UpdateTicket", "ticket_id", "T-1", "ticket_id: 'T-1' is not a ticket id (expected TCK- and digits, e.g. TCK-000042)")]
    [InlineData("UpdateTicket", "status", "escalated", "status: use EscalateToHuman to escalate a ticket")]
    [InlineData("UpdateTicket", "status", "", "status: nothing to change: give a status, a priority or a note")]
    public async Task BadToolArgumentsComeBackAsErrorMessages(string function, string name, string value, string error)
    {
        using var host = await CustomerServiceHost.CreateAsync(Silent());
        var kernel = CustomerContext.For(host.Kernel, "C-1001");
        var ticket = await Invoke<Ticket>(kernel, "CreateTicket", new() { ["subject"] = "s", ["description"] = "d" });
        var arguments = function == "CreateTicket"
            ? new KernelArguments { ["subject"] = "Subject", ["description"] = "Description" }
            : new KernelArguments { ["ticket_id"] = ticket.Value!.TicketId };
        arguments[name] = value;
        var result = await Invoke<Ticket>(kernel, function, arguments);
        Assert.False(result.Ok);
        Assert.StartsWith(error, result.Error);
    }

    [Fact]
    public async Task CreatingATicketOutsideAConversationNeedsACustomerId()
    {
        using var host = await CustomerServiceHost.CreateAsync(Silent());
        var missing = await Invoke<Ticket>(host.Kernel, "CreateTicket", new() { ["subject"] = "s", ["description"] = "d" });
        Assert.Equal("customer_id: is required (no customer is signed in to this conversation)", missing.Error);
        var invalid = await Invoke<Ticket>(host.Kernel, "CreateTicket", new() { ["subject"] = "s", ["description"] = "d", ["customer_id"] = "bad id!" });
        Assert.StartsWith("customer_id: 'bad id!' is not a customer id", invalid.Error);
        Assert.True((await Invoke<Ticket>(host.Kernel, "CreateTicket", new() { ["subject"] = "s", ["description"] = "d", ["customer_id"] = "C-3003" })).Ok);
    }

    [Fact]
    public async Task EscalationQueuesTicketsForAPersonInOrder()
    {
        using var host = await CustomerServiceHost.CreateAsync(Silent());
        var ana = CustomerContext.For(host.Kernel, "C-1001");
        var li = CustomerContext.For(host.Kernel, "C-2002");
        var first = await Invoke<Escalation>(ana, "EscalateToHuman", new() { ["reason"] = "Wants a refund exception", ["summary"] = "Tent torn, outside 30 days." });
        Assert.True(first.Ok, first.Error);
        Assert.Equal((TicketStatus.Escalated, "customer-care", 1), (first.Value!.Ticket.Status, first.Value.Ticket.AssignedTeam, first.Value.QueuePosition));
        Assert.Equal("Escalation: Wants a refund exception", first.Value.Ticket.Subject);

        var liTicket = await Invoke<Ticket>(li, "CreateTicket", new() { ["subject"] = "Backpack", ["description"] = "Buckle broke." });
        var second = await Invoke<Escalation>(li, "EscalateToHuman", new() { ["reason"] = "Asked for a person", ["ticket_id"] = liTicket.Value!.TicketId, ["summary"] = "Buckle broke after a week." });
        Assert.Equal(2, second.Value!.QueuePosition);
        Assert.Equal(["created", "note", "escalated"], second.Value.Ticket.Events.Select(e => e.Kind));

        var again = await Invoke<Escalation>(ana, "EscalateToHuman", new() { ["reason"] = "still waiting", ["ticket_id"] = first.Value.Ticket.TicketId });
        Assert.Equal(1, again.Value!.QueuePosition);
        Assert.Equal("Wants a refund exception", again.Value.Ticket.EscalationReason);
    }

    [Fact]
    public async Task AnswerQuestionRetrievesPassagesAndCitesTheirSources()
    {
        var client = new ScriptedChatClient(call => "Refunds take 5–10 business days [1].");
        using var host = await CustomerServiceHost.CreateAsync(client);
        var result = await Invoke<KnowledgeAnswer>(host.Kernel, "AnswerQuestion", new() { ["question"] = "How long does a refund take?" });
        Assert.True(result.Ok, result.Error);
        Assert.Equal("Refunds take 5–10 business days [1].", result.Value!.Answer);
        Assert.Equal("keyword", result.Value.RetrievalMode);
        Assert.Equal("Returns and refunds › Refund timing", result.Value.Sources[0]);
        var user = Assert.Single(client.Calls).User;
        Assert.StartsWith("Knowledge-base passages:\n[1] Returns and refunds › Refund timing\nOnce the warehouse receives your return", user);
        Assert.EndsWith("Customer question:\nHow long does a refund take?", user);
    }

    [Fact]
    public async Task KnowledgeToolsSayWhenNoKnowledgeBaseIsConfigured()
    {
        using var none = new PluginHost(Silent());
        var result = await Invoke<KnowledgeAnswer>(none.Kernel, "AnswerQuestion", new() { ["question"] = "Refunds?" });
        Assert.Equal("knowledge_base: no knowledge base is configured (set Plugins:CustomerService:KnowledgeBaseDirectory)", result.Error);
        using var missing = new PluginHost(Silent(), configure: o => o.CustomerService.KnowledgeBaseDirectory = "/nonexistent/kb");
        var search = await Invoke<IReadOnlyList<PassageHit>>(missing.Kernel, "SearchKnowledgeBase", new() { ["query"] = "refund" });
        Assert.StartsWith("knowledge_base: Knowledge base folder not found: /nonexistent/kb", search.Error);
    }

    [Fact]
    public async Task ClassifyMessageParsesEnumsOrReportsBadOutput()
    {
        var answers = new Queue<string>(["{\"intent\": \"return_or_refund\", \"sentiment\": \"negative\", \"urgency\": \"high\", \"summary\": \"Wants a refund for a broken tent.\"}",
                                         "{\"intent\": \"refund\", \"sentiment\": \"negative\", \"urgency\": \"high\", \"summary\": \"x\"}"]);
        using var host = await CustomerServiceHost.CreateAsync(new ScriptedChatClient(_ => answers.Dequeue()));
        var ok = await Invoke<MessageClassification>(host.Kernel, "ClassifyMessage", new() { ["message"] = "My tent is broken, refund now!" });
        Assert.Equal(new MessageClassification(Intent.ReturnOrRefund, Sentiment.Negative, Urgency.High, "Wants a refund for a broken tent."), ok.Value);
        var bad = await Invoke<MessageClassification>(host.Kernel, "ClassifyMessage", new() { ["message"] = "My tent is broken, refund now!" });
        Assert.False(bad.Ok);
        Assert.StartsWith("CustomerService.ClassifyMessage: the model's output is not valid JSON for the expected schema", bad.Error);
    }

    /// <summary>The JSON schemas in config.json list exactly the C# enum values the parser accepts.</summary>
    [Fact]
    public void ClassificationSchemaMatchesTheEnums()
    {
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(PromptLibrary.DefaultDirectory, "CustomerService", "ClassifyMessage", "config.json")));
        var properties = config.RootElement.GetProperty("execution_settings").GetProperty("default").GetProperty("response_format").GetProperty("properties");
        string[] Values(string p) => properties.GetProperty(p).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string[] Names<T>() where T : struct, Enum => Enum.GetNames<T>().Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToArray();
        Assert.Equal(Names<Intent>(), Values("intent"));
        Assert.Equal(Names<Sentiment>(), Values("sentiment"));
        Assert.Equal(Names<Urgency>(), Values("urgency"));
    }

    /// <summary>
    /// The model calls a tool with a bad argument, then with a missing one: each time the next request carries a
    /// tool result that says what is wrong (the model can read it and correct itself), not a generic failure.
    /// </summary>
    [Fact]
    public async Task ToolErrorsReachTheModelAsReadableResults()
    {
        var step = 0;
        var client = new ScriptedChatClient(call =>
        {
            var tool = call.Options!.Tools!.OfType<AIFunctionDeclaration>().Single(t => t.Name.EndsWith("LookupOrder", StringComparison.Ordinal)).Name;
            return Task.FromResult(Interlocked.Increment(ref step) switch
            {
                1 => FakeModels.ToolCall(tool, new() { ["order_id"] = "order 42" }),
                2 => FakeModels.ToolCall(tool, new() { }),
                _ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "Which order number do you mean?")),
            });
        });
        using var host = await CustomerServiceHost.CreateAsync(client);
        var kernel = CustomerContext.For(host.Kernel, "C-1001");
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory("You are support.");
        history.AddUserMessage("Where is my order?");
        var reply = await chat.GetChatMessageContentAsync(history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);
        Assert.Equal("Which order number do you mean?", reply.Content);

        var calls = client.Calls.ToList();
        Assert.Equal(3, calls.Count);
        string ToolResultText(ChatCall c) => JsonSerializer.Serialize(c.Messages.Last().Contents.OfType<FunctionResultContent>().Single().Result);
        Assert.Contains("order_id: \\u0027order 42\\u0027 is not an order id", ToolResultText(calls[1]));
        Assert.Contains("\"ok\":false", ToolResultText(calls[1]));
        Assert.Contains("order_id", ToolResultText(calls[2]));
        Assert.Contains("\"ok\":false", ToolResultText(calls[2]));
    }
}
