using AgentHost.Agents.Tests.Support;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tests.Agents;

/// <summary>
/// A tool declared ApprovalRequired: the run stops with the framework's approval request and nothing is spent;
/// the session's next run carries the person's answer, and only an approval invokes the tool.
/// </summary>
public class ApprovalTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private async Task<(AIAgent Agent, AgentSession Session, ToolApprovalRequestContent Request)> AskAsync(string sessionId)
    {
        var agent = fixture.Catalog.Get("refunds");
        var session = await fixture.Sessions.OpenAsync("refunds", sessionId, "C-1001");
        var before = fixture.Ledger.Refunds.Count;
        var response = await agent.RunAsync("My order arrived damaged, refund it.", session);
        var requests = response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().ToList();
        Assert.True(requests.Count == 1, $"{response.FinishReason}: " + string.Join(" | ", response.Messages.SelectMany(m => m.Contents).Select(c => $"{c.GetType().Name}:{c}")));
        var request = requests[0];
        var call = Assert.IsType<FunctionCallContent>(request.ToolCall);
        Assert.Equal("Ledger_IssueRefund", call.Name);
        Assert.Equal(before, fixture.Ledger.Refunds.Count); // waiting, nothing spent
        // The model's call is stored as it completed (per-service-call persistence), before anyone answered.
        var stored = await fixture.Sessions.MessagesAsync(sessionId);
        Assert.Contains(stored, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.CallId == call.CallId));
        return (agent, session, request);
    }

    [Fact]
    public async Task ApprovedRequestInvokesTheTool()
    {
        var (agent, session, request) = await AskAsync("approval-yes");
        var before = fixture.Ledger.Refunds.Count;
        var response = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]), session);
        Assert.Equal(before + 1, fixture.Ledger.Refunds.Count);
        var result = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.CallId == ((FunctionCallContent)request.ToolCall).CallId);
        Assert.StartsWith("refunded", result.Result?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedRequestNeverInvokesTheTool()
    {
        var (agent, session, request) = await AskAsync("approval-no");
        var before = fixture.Ledger.Refunds.Count;
        var response = await agent.RunAsync(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: false, reason: "not eligible")]), session);
        Assert.Equal(before, fixture.Ledger.Refunds.Count);
        var result = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.CallId == ((FunctionCallContent)request.ToolCall).CallId);
        Assert.Contains("not eligible", result.Result?.ToString(), StringComparison.Ordinal);
    }
}
