#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental
using System.ClientModel;
using AgentHost.Server.Tests.Support;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Responses;

/// <summary>The OpenAI .NET SDK's ResponsesClient against the server: create, stream, get, delete, and an approval answered.</summary>
public class ResponsesSdkTests(ResponsesServerFixture fixture) : IClassFixture<ResponsesServerFixture>
{
    private ResponsesClient Client() => RealClients.OpenAi(fixture.Server).GetResponsesClient();

    [Fact]
    public async Task CreateGetAndDelete()
    {
        var client = Client();
        var created = (await client.CreateResponseAsync(new CreateResponseOptions(fixture.Server.ModelId, [ResponseItem.CreateUserMessageItem("Hello there")]) { MaxOutputTokenCount = 6, Temperature = 0 })).Value;
        Assert.StartsWith("resp_", created.Id);
        Assert.Contains(created.Status, new ResponseStatus?[] { ResponseStatus.Completed, ResponseStatus.Incomplete });
        Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(created.OutputItems));
        Assert.False(string.IsNullOrEmpty(created.GetOutputText()));
        Assert.True(created.Usage.InputTokenCount > 0);
        Assert.InRange(created.Usage.OutputTokenCount, 1, 6);

        var fetched = (await client.GetResponseAsync(created.Id)).Value;
        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal(created.GetOutputText(), fetched.GetOutputText());

        var deleted = (await client.DeleteResponseAsync(created.Id)).Value;
        Assert.True(deleted.Deleted);
        Assert.Equal(created.Id, deleted.ResponseId);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));
        Assert.Equal(404, gone.Status);
        // A deleted response cannot be continued either.
        var chained = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(fixture.Server.ModelId, "And then?", created.Id));
        Assert.Equal(404, chained.Status);
    }

    [Fact]
    public async Task StreamedUpdatesParseAsTheSdksTypes()
    {
        var client = Client();
        var options = new CreateResponseOptions(fixture.Server.ModelId, [ResponseItem.CreateUserMessageItem("Hello there")]) { MaxOutputTokenCount = 6, Temperature = 0, StreamingEnabled = true };
        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await client.CreateResponseStreamingAsync(options)) updates.Add(update);
        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]);
        Assert.Contains(updates, u => u is StreamingResponseOutputItemAddedUpdate);
        Assert.Contains(updates, u => u is StreamingResponseContentPartAddedUpdate);
        var text = string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(u => u.Delta));
        Assert.NotEmpty(text);
        Assert.Equal(text, Assert.Single(updates.OfType<StreamingResponseOutputTextDoneUpdate>()).Text);
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        var final = updates[^1] switch
        {
            StreamingResponseCompletedUpdate c => c.Response,
            StreamingResponseIncompleteUpdate i => i.Response,
            var other => throw new Xunit.Sdk.XunitException($"last update is {other.GetType().Name}"),
        };
        Assert.Equal(text, final.GetOutputText());
        // Stored as streamed.
        Assert.Equal(text, (await client.GetResponseAsync(final.Id)).Value.GetOutputText());
    }

    [Fact]
    public async Task ApprovalRequestApprovedThroughTheSdk()
    {
        var client = Client();
        var before = fixture.Ledger.Refunds.Count;
        var asked = (await client.CreateResponseAsync("agent:refunds", "My order arrived damaged, refund it.")).Value;
        var request = Assert.IsType<McpToolCallApprovalRequestItem>(Assert.Single(asked.OutputItems, i => i is McpToolCallApprovalRequestItem));
        Assert.Equal("Ledger_IssueRefund", request.ToolName);
        Assert.Equal("agenthost", request.ServerLabel);
        Assert.Equal(ResponseStatus.Completed, asked.Status);
        Assert.Equal(before, fixture.Ledger.Refunds.Count); // waiting: nothing spent

        var answered = (await client.CreateResponseAsync("agent:refunds", [ResponseItem.CreateMcpApprovalResponseItem(request.Id, true)], asked.Id)).Value;
        Assert.Equal(before + 1, fixture.Ledger.Refunds.Count);
        var output = Assert.Single(answered.OutputItems.OfType<FunctionCallOutputResponseItem>());
        Assert.StartsWith("refunded", output.FunctionOutput.Trim('"'), StringComparison.Ordinal);
    }
}
