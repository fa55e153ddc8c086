using AgentHost.Agents.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AgentHost.Agents.Tests.Samples;

/// <summary>
/// samples/CustomerServiceBot as a real process over the random-weight model: a message goes to the `support`
/// agent and its turn is stored in that customer's agent session in SQLite (shown again by a second process), and
/// /handoff runs the customer-service workflow through triage's handoff to a specialist, the ticket and the person
/// (--respond approve), to the reply that is sent.
/// </summary>
public class CustomerServiceBotTests(SampleModelFixture model) : IClassFixture<SampleModelFixture>
{
    private const string Question = "Where is my order ORD-10042?";

    private static Dictionary<string, string> Environment()
    {
        var env = SampleProcess.Environment();
        // As the agent tests: bounded tool strings and room for triage's handoff call, so runs stay short.
        env["AGENTHOST_AgentTools__MaxStringLength"] = "60";
        env["AGENTHOST_Agents__cs-triage__MaxTokens"] = "120";
        return env;
    }

    private Task<SampleProcess.Result> RunAsync(string workDir, string stdin, params string[] extra) =>
        SampleProcess.RunAsync(SampleProcess.Sample("CustomerServiceBot"),
            ["--model", model.ModelPath, "--ctx", "4096", "--max-tokens", "12", "--db", "cs.db", "--approve", "no", .. extra], workDir, Environment(), stdin);

    [Fact]
    public async Task ASupportAgentTurnIsStoredInTheCustomersSessionAndSurvivesARestart()
    {
        var work = model.NewWorkDir();
        var first = await RunAsync(work, $"{Question}\n");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"C-1001> {Question}", first.Stdout);
        Assert.Contains("assistant> ", first.Stdout);
        Assert.Contains("on the 'support' agent", first.Stderr);

        await using (var db = new SqliteConnection($"Data Source={Path.Combine(work, "cs.db")};Pooling=False"))
        {
            await db.OpenAsync();
            var session = db.CreateCommand();
            session.CommandText = "SELECT agent, customer_id FROM agent_sessions WHERE session_id = 'support-C-1001';";
            await using (var reader = await session.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync(), "no agent session row for support-C-1001");
                Assert.Equal("support", reader.GetString(0));
                Assert.Equal("C-1001", reader.GetString(1));
            }
            var roles = db.CreateCommand();
            roles.CommandText = "SELECT role FROM agent_messages WHERE session_id = 'support-C-1001' ORDER BY seq;";
            var stored = new List<string>();
            await using (var reader = await roles.ExecuteReaderAsync())
                while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
            Assert.Equal("user", stored[0]);
            Assert.Contains("assistant", stored);
            // The sample's orders were imported into the same file.
            var orders = db.CreateCommand();
            orders.CommandText = "SELECT COUNT(*) FROM orders;";
            Assert.True((long)(await orders.ExecuteScalarAsync())! > 0);
        }

        // A new process finds the conversation in the session; another customer has their own (empty) one.
        var second = await RunAsync(work, "/history\n/customer C-2002\n/history\n");
        Assert.True(second.ExitCode == 0, second.ToString());
        var afterSwitch = second.Stdout.IndexOf("C-2002> /history", StringComparison.Ordinal);
        Assert.True(afterSwitch > 0, second.ToString());
        Assert.Contains($"user: {Question}", second.Stdout[..afterSwitch]);
        Assert.DoesNotContain($"user: {Question}", second.Stdout[afterSwitch..]);
    }

    [Fact]
    public async Task HandoffRunsTheWorkflowToTheHumanStepAndSendsTheApprovedDraft()
    {
        var work = model.NewWorkDir();
        var result = await RunAsync(work, $"/handoff {Question}\n/tickets\n", "--respond", "approve");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\[handoff\] cs-triage -> cs-(orders|policy|technical)", result.Stderr);
        Assert.Matches(@"\[human\] ticket TCK-\d+ escalated; run run_\w+ waits for a person on 'human'", result.Stderr);
        Assert.Contains("[human] answered: approve", result.Stderr);
        Assert.Matches(@"assistant \(cs-(orders|policy|technical), draft approved, ticket TCK-\d+\)> ", result.Stdout);
        // The ticket the human step opened is resolved by the answer.
        Assert.Matches(@"TCK-\d+\s+Resolved\s+\w+\s+Where is my order ORD-10042\?", result.Stdout);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(work, "cs.db")};Pooling=False");
        await db.OpenAsync();
        var runs = db.CreateCommand();
        runs.CommandText = "SELECT workflow, status FROM workflow_runs;";
        await using var reader = await runs.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no workflow run stored");
        Assert.Equal("customer-service", reader.GetString(0));
        Assert.Equal("completed", reader.GetString(1));
    }

    [Fact]
    public async Task WithNobodyToAnswerTheRunStaysPendingAndAnswerResumesIt()
    {
        var work = model.NewWorkDir();
        var first = await RunAsync(work, $"/handoff {Question}\n");
        Assert.True(first.ExitCode == 0, first.ToString());
        var run = System.Text.RegularExpressions.Regex.Match(first.Stderr, @"/answer (run_\w+) approve");
        Assert.True(run.Success, first.ToString());

        var second = await RunAsync(work, $"/answer {run.Groups[1].Value} Your parcel leaves today.\n");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Matches(@"assistant \(cs-(orders|policy|technical), written by a person, ticket TCK-\d+\)> Your parcel leaves today\.", second.Stdout);
    }

    [Fact]
    public async Task AnUnknownCustomerIdIsRejectedByName()
    {
        var result = await SampleProcess.RunAsync(SampleProcess.Sample("CustomerServiceBot"), ["--model", model.ModelPath, "--customer", "bad id!", "--db", "cs.db"], model.NewWorkDir(), Environment());
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("customer-service-bot: ", result.Stderr.Trim());
        Assert.Contains("--customer", result.Stderr);
    }
}
