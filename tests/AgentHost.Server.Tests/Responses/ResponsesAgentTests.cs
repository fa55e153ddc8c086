using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Responses.ResponsesServerFixture;

namespace AgentHost.Server.Tests.Responses;

/// <summary>
/// AgentHost agents over /v1/responses: a kernel tool that runs server-side shows as function_call +
/// function_call_output items; a tool that needs approval ends the response with an mcp_approval_request, and the
/// next request's mcp_approval_response resumes it (approved: the tool runs; rejected: it never does); a
/// conversation keeps every turn in its agent session and is listed with its agent and title.
/// </summary>
public class ResponsesAgentTests(ResponsesServerFixture fixture) : IClassFixture<ResponsesServerFixture>
{
    [Fact]
    public async Task AgentsAreListedWithTheirToolsAndApprovals()
    {
        using var http = fixture.Server.CreateHttpClient();
        var (status, body) = await SendAsync(http, HttpMethod.Get, "v1/agents");
        Assert.True(status == 200, body.ToString());
        Assert.Equal("list", body.GetProperty("object").GetString());
        var agents = body.GetProperty("data").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        // The configured test agents and the built-in ones, each under the model name a request uses.
        Assert.Contains("support", agents.Keys);
        Assert.Contains("writer", agents.Keys);
        var refunds = agents["refunds"];
        Assert.Equal("agent:refunds", refunds.GetProperty("id").GetString());
        Assert.Equal("agent", refunds.GetProperty("object").GetString());
        Assert.Equal(["Ledger.IssueRefund"], refunds.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["Ledger.IssueRefund"], refunds.GetProperty("approval_required").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(agents["weather"].GetProperty("approval_required").EnumerateArray());
        Assert.StartsWith("Customer support", agents["support"].GetProperty("description").GetString(), StringComparison.Ordinal);
        // Behind the API key like the rest of the API.
        using var anonymous = fixture.Server.CreateHttpClient(withKey: false);
        Assert.Equal(401, (await SendAsync(anonymous, HttpMethod.Get, "v1/agents")).Status);
    }

    [Fact]
    public async Task AgentsServerSideToolCallIsShownWithItsResult()
    {
        using var http = fixture.Server.CreateHttpClient();
        var before = fixture.Weather.Calls.Count;
        var (status, body) = await PostAsync(http, "v1/responses", """{"model":"agent:weather","input":"What is the weather?"}""");
        Assert.True(status == 200, body.ToString());
        Assert.Equal("agent:weather", body.GetProperty("model").GetString());
        var output = body.GetProperty("output").EnumerateArray().ToList();
        var call = output.First(i => i.GetProperty("type").GetString() == "function_call");
        Assert.Equal("Weather_GetWeather", call.GetProperty("name").GetString());
        var callId = call.GetProperty("call_id").GetString();
        var result = output.First(i => i.GetProperty("type").GetString() == "function_call_output" && i.GetProperty("call_id").GetString() == callId);
        Assert.StartsWith("Sunny in ", result.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.True(output.IndexOf(result) > output.IndexOf(call));
        Assert.True(fixture.Weather.Calls.Count > before);
    }

    [Fact]
    public async Task StreamedAgentRunShowsToolCallEvents()
    {
        using var http = fixture.Server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses") { Content = JsonContent.Create(new { model = "agent:weather", input = "Weather please", stream = true }) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        var events = ResponsesWireTests.ParseEvents(await response.Content.ReadAsStringAsync());
        var added = events.First(e => e.Type == "response.output_item.added" && e.Data.GetProperty("item").GetProperty("type").GetString() == "function_call");
        var itemId = added.Data.GetProperty("item").GetProperty("id").GetString();
        var done = events.Single(e => e.Type == "response.function_call_arguments.done" && e.Data.GetProperty("item_id").GetString() == itemId);
        Assert.Equal("Weather_GetWeather", done.Data.GetProperty("name").GetString());
        Assert.Equal(done.Data.GetProperty("arguments").GetString(), string.Concat(events.Where(e => e.Type == "response.function_call_arguments.delta" && e.Data.GetProperty("item_id").GetString() == itemId).Select(e => e.Data.GetProperty("delta").GetString())));
        Assert.Contains(events, e => e.Type == "response.output_item.done" && e.Data.GetProperty("item").GetProperty("type").GetString() == "function_call_output");
        // The reply after the tool result may run into the agent's token cap (random weights rarely stop).
        Assert.Contains(events[^1].Type, new[] { "response.completed", "response.incomplete" });
    }

    [Fact]
    public async Task ConversationApprovalRejectedNeverRunsTheTool()
    {
        using var http = fixture.Server.CreateHttpClient();
        http.DefaultRequestHeaders.Add("X-AgentHost-Customer", "C-2002");
        var (created, conversation) = await PostAsync(http, "v1/conversations", """{"metadata":{"topic":"refund"}}""");
        Assert.Equal(200, created);
        var id = conversation.GetProperty("id").GetString()!;
        Assert.Equal("conversation", conversation.GetProperty("object").GetString());

        var before = fixture.Ledger.Refunds.Count;
        var (s1, asked) = await PostAsync(http, "v1/responses", JsonSerializer.Serialize(new { model = "agent:refunds", conversation = id, input = "My order arrived damaged, refund it." }));
        Assert.True(s1 == 200, asked.ToString());
        Assert.Equal(id, asked.GetProperty("conversation").GetProperty("id").GetString());
        var request = asked.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "mcp_approval_request");
        Assert.Equal("Ledger_IssueRefund", request.GetProperty("name").GetString());
        using (var arguments = JsonDocument.Parse(request.GetProperty("arguments").GetString()!))
            Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("reason").ValueKind);

        var answer = JsonSerializer.Serialize(new { model = "agent:refunds", conversation = id, input = new object[] { new { type = "mcp_approval_response", approval_request_id = request.GetProperty("id").GetString(), approve = false, reason = "not eligible" } } });
        var (s2, rejected) = await PostAsync(http, "v1/responses", answer);
        Assert.True(s2 == 200, rejected.ToString());
        Assert.Equal(before, fixture.Ledger.Refunds.Count);
        var result = rejected.GetProperty("output").EnumerateArray().First(i => i.GetProperty("type").GetString() == "function_call_output");
        Assert.Contains("not eligible", result.GetProperty("output").GetString());

        // Every turn is in the conversation's agent session: the question, the call, the rejection.
        var (s3, items) = await SendAsync(http, HttpMethod.Get, $"v1/conversations/{id}/items");
        Assert.Equal(200, s3);
        var data = items.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal("My order arrived damaged, refund it.", data[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Contains(data, i => i.GetProperty("type").GetString() == "function_call" && i.GetProperty("name").GetString() == "Ledger_IssueRefund");
        Assert.Contains(data, i => i.GetProperty("type").GetString() == "function_call_output" && i.GetProperty("output").GetString()!.Contains("not eligible"));

        // Listed for this customer with its agent and title; another customer does not see it.
        var (s4, list) = await SendAsync(http, HttpMethod.Get, "v1/conversations");
        Assert.Equal(200, s4);
        var listed = list.GetProperty("data").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        Assert.Equal("agent:refunds", listed.GetProperty("agent").GetString());
        Assert.Equal("My order arrived damaged, refund it.", listed.GetProperty("title").GetString());
        Assert.Equal("refund", listed.GetProperty("metadata").GetProperty("topic").GetString());
        using var other = fixture.Server.CreateHttpClient();
        other.DefaultRequestHeaders.Add("X-AgentHost-Customer", "C-3003");
        Assert.Equal(404, (await SendAsync(other, HttpMethod.Get, $"v1/conversations/{id}")).Status);
        Assert.DoesNotContain((await SendAsync(other, HttpMethod.Get, "v1/conversations")).Body.GetProperty("data").EnumerateArray(), c => c.GetProperty("id").GetString() == id);

        var (s5, deleted) = await SendAsync(http, HttpMethod.Delete, $"v1/conversations/{id}");
        Assert.Equal(200, s5);
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(404, (await SendAsync(http, HttpMethod.Get, $"v1/conversations/{id}")).Status);
        Assert.Equal(404, (await SendAsync(http, HttpMethod.Get, $"v1/responses/{asked.GetProperty("id").GetString()}")).Status);
    }
}
