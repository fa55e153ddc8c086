using AgentHost.Agents.Configuration;
using AgentHost.Agents.Tests.Support;
using AgentHost.Agents.Workflows;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Agents.Tests.Workflows;

/// <summary>
/// Workflows of Microsoft.Agents.AI.Workflows over the random-weight model: the framework's handoff orchestration,
/// where triage runs under required tool choice, so the tool grammar makes its handoff call well-formed every time
/// and the target specialist runs; and the customer-service workflow's human step, answered after a restart from
/// the checkpoint in SQLite.
/// </summary>
public class WorkflowTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private static readonly string[] Specialists = [BuiltInAgents.Orders, BuiltInAgents.Policy, BuiltInAgents.Technical];

    [Theory]
    [InlineData("Where is my parcel? It was due on Monday.")]
    [InlineData("Can I return a jacket after 40 days?")]
    [InlineData("My headphones do not charge any more.")]
    public async Task TriagesHandoffCallIsWellFormedAndTheTargetAgentRuns(string message)
    {
        var workflow = fixture.Services.GetRequiredService<AgentHostWorkflows>().BuildHandoff();
        await using var run = await InProcessExecution.RunStreamingAsync(workflow, new List<ChatMessage> { new(ChatRole.User, message) });
        await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
        var calls = new List<(string Executor, FunctionCallContent Call)>();
        var spoke = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seen = new List<string>();
        await foreach (var evt in run.WatchStreamAsync())
        {
            seen.Add(evt is AgentResponseUpdateEvent u ? $"update[{u.ExecutorId}/{u.Update.AuthorName}:{string.Join(",", u.Update.Contents.Select(c => c.GetType().Name))}]" : evt.GetType().Name + (evt is WorkflowOutputEvent o ? ":" + o.Data : ""));
            switch (evt)
            {
                case AgentResponseUpdateEvent update:
                    foreach (var call in update.Update.Contents.OfType<FunctionCallContent>()) calls.Add((update.ExecutorId, call));
                    if (update.Update.AuthorName is { } author) spoke.Add(author);
                    break;
                case ExecutorFailedEvent failed:
                    Assert.Fail($"{failed.ExecutorId} failed: {failed.Data}");
                    break;
                case WorkflowErrorEvent error:
                    Assert.Fail($"workflow error: {error.Exception}");
                    break;
            }
        }
        Assert.True(calls.Count > 0, string.Join(" ", seen.Distinct()));
        var handoff = Assert.Single(calls, c => c.Call.Name.StartsWith("handoff_to_", StringComparison.Ordinal));
        Assert.NotNull(handoff.Call.Arguments); // parsed from grammar-constrained JSON, not text
        Assert.Contains(BuiltInAgents.Triage, spoke);
        Assert.Contains(spoke, Specialists.Contains);
    }

    [Fact]
    public async Task HumanStepIsATicketAndIsAnsweredAfterARestartFromTheCheckpoint()
    {
        var directory = TestAssets.NewTempDir("workflow-restart");
        var database = Path.Combine(directory, "sessions.db");
        string runId;
        string ticketId;
        using (var first = AgentsFixture.BuildHost(fixture.ModelPath, database))
        {
            var runs = first.Services.GetRequiredService<WorkflowRunService>();
            var started = await runs.StartAsync(AgentHostWorkflows.CustomerService, new CustomerRequest("C-1001", "Where is my order ORD-10042?"));
            Assert.Equal("pending", started.Status);
            Assert.Empty(started.Outputs);
            var pending = Assert.Single(started.Pending);
            Assert.Equal(AgentHostWorkflows.HumanPortId, pending.Port);
            Assert.NotNull(started.LastCheckpointId);
            ticketId = pending.Data.GetProperty("ticketId").GetString()!;
            runId = started.RunId;
            var tickets = first.Services.GetRequiredService<TicketRepository>();
            Assert.True(TicketRepository.TryParseId(ticketId, out var id));
            Assert.Equal(TicketStatus.Escalated, (await tickets.FindAsync(id))!.Status);
        }

        // A new host: new agents, new workflow objects, nothing in memory but what SQLite kept.
        using var second = AgentsFixture.BuildHost(fixture.ModelPath, database);
        var resumed = await second.Services.GetRequiredService<WorkflowRunService>().RespondAsync(runId, "Your order ships tomorrow.");
        Assert.Equal("completed", resumed.Status);
        var reply = Assert.IsType<CustomerReply>(Assert.Single(resumed.Outputs));
        Assert.Equal(ticketId, reply.TicketId);
        Assert.Equal("Your order ships tomorrow.", reply.Reply);
        Assert.False(reply.DraftApproved);
        Assert.Contains(reply.Specialist, Specialists);
        TicketRepository.TryParseId(ticketId, out var ticketNumber);
        var ticket = await second.Services.GetRequiredService<TicketRepository>().FindAsync(ticketNumber);
        Assert.Equal(TicketStatus.Resolved, ticket!.Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.Services.GetRequiredService<WorkflowRunService>().RespondAsync(runId, "again"));
    }
}
