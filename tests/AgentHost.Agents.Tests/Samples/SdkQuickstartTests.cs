using AgentHost.Agents.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AgentHost.Agents.Tests.Samples;

/// <summary>samples/SdkQuickstart as a real process: the AIAgent it resolves by name from the host runs a turn over the local model, and the turn lands in the SQLite session store.</summary>
public class SdkQuickstartTests(SampleModelFixture model) : IClassFixture<SampleModelFixture>
{
    [Fact]
    public async Task TheAgentFromTheHostRunsATurnAndItIsStored()
    {
        var work = model.NewWorkDir();
        var env = SampleProcess.Environment();
        env["AGENTHOST_AgentTools__MaxStringLength"] = "60";
        env["AGENTHOST_Agents__summarizer__MaxTokens"] = "12";
        // The sample's own options: --model (Llama:ModelPath) and any setting as --Section:Key=value.
        var result = await SampleProcess.RunAsync(SampleProcess.Sample("SdkQuickstart"), ["--model", model.ModelPath, "--Llama:ContextSize=4096", "--AgentSessions:DatabasePath=sessions.db"], work, env);
        Assert.True(result.ExitCode == 0, result.ToString());

        await using var db = new SqliteConnection($"Data Source={Path.Combine(work, "sessions.db")};Pooling=False");
        await db.OpenAsync();
        var command = db.CreateCommand();
        command.CommandText = "SELECT role, message_json FROM agent_messages ORDER BY seq;";
        var stored = new List<(string Role, string Json)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) stored.Add((reader.GetString(0), reader.GetString(1)));
        Assert.True(stored.Count >= 2, result.ToString());
        Assert.Equal("user", stored[0].Role);
        Assert.Contains("Lily found a shiny red ball", stored[0].Json);
        Assert.Equal("assistant", stored[^1].Role);
    }
}
