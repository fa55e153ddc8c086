using System.Text.Json;
using AgentHost.Agents.Tests.Samples;
using AgentHost.Agents.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AgentHost.Agents.Tests.Cli;

/// <summary>`agenthost agent run … --max-tokens N` through the real CLI: N bounds every model reply of the agent; N below 1 is bad input.</summary>
public class AgentRunCliTests(SampleModelFixture model) : IClassFixture<SampleModelFixture>
{
    [Fact]
    public async Task MaxTokensBoundsTheAgentsReply()
    {
        var work = model.NewWorkDir();
        var env = SampleProcess.Environment();
        env["AGENTHOST_AgentSessions__DatabasePath"] = Path.Combine(work, "sessions.db");
        // Random weights rarely stop on their own: without the bound the summarizer would write its 400 tokens.
        var result = await SampleProcess.RunAsync(SampleProcess.Cli, ["agent", "run", "summarizer", "--input", "The shop ships every order within two days.", "--max-tokens", "3", "--model", model.ModelPath], work, env);
        Assert.True(result.ExitCode == 0, result.ToString());

        await using var db = new SqliteConnection($"Data Source={Path.Combine(work, "sessions.db")};Pooling=False");
        await db.OpenAsync();
        var command = db.CreateCommand();
        command.CommandText = "SELECT message_json FROM agent_messages WHERE role = 'assistant' ORDER BY seq;";
        var generated = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                generated.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.GetProperty("additionalProperties").GetProperty("timings").GetProperty("generatedTokens").GetInt32());
        Assert.NotEmpty(generated);
        Assert.All(generated, n => Assert.InRange(n, 1, 3));
    }

    [Fact]
    public async Task MaxTokensBelowOneIsABadInputNamingTheOption()
    {
        var result = await SampleProcess.RunAsync(SampleProcess.Cli, ["agent", "run", "summarizer", "--input", "text", "--max-tokens", "0", "--model", model.ModelPath], model.NewWorkDir(), SampleProcess.Environment());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("agenthost: error: --max-tokens: must be at least 1 (was 0)", result.Stderr);
    }
}
