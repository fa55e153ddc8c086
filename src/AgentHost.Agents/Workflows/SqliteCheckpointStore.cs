using System.Text.Json;
using AgentHost.Agents.Sessions;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;

namespace AgentHost.Agents.Workflows;

/// <summary>
/// The framework's <see cref="JsonCheckpointStore"/> over SQLite (<c>workflow_checkpoints</c>): every superstep's
/// checkpoint of a workflow run is committed as it is taken, so a run waiting for a person resumes after the
/// process restarts.
/// </summary>
public sealed class SqliteCheckpointStore(AgentSessionDatabase database) : JsonCheckpointStore
{
    public override async ValueTask<CheckpointInfo> CreateCheckpointAsync(string sessionId, JsonElement value, CheckpointInfo? parent = null)
    {
        var info = new CheckpointInfo(sessionId, "cp_" + Guid.NewGuid().ToString("N"));
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO workflow_checkpoints (run_id, checkpoint_id, parent_id, workflow, value_json, created_at)
                VALUES ($r, $c, $p, '', $v, $t);
                """;
            command.Parameters.AddWithValue("$r", sessionId);
            command.Parameters.AddWithValue("$c", info.CheckpointId);
            command.Parameters.AddWithValue("$p", (object?)parent?.CheckpointId ?? DBNull.Value);
            command.Parameters.AddWithValue("$v", value.GetRawText());
            command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);
        return info;
    }

    public override async ValueTask<JsonElement> RetrieveCheckpointAsync(string sessionId, CheckpointInfo key)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value_json FROM workflow_checkpoints WHERE run_id = $r AND checkpoint_id = $c;";
        command.Parameters.AddWithValue("$r", sessionId);
        command.Parameters.AddWithValue("$c", key.CheckpointId);
        var json = await command.ExecuteScalarAsync().ConfigureAwait(false) as string
            ?? throw new KeyNotFoundException($"checkpoint: run {sessionId} has no checkpoint {key.CheckpointId}");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public override async ValueTask<IEnumerable<CheckpointInfo>> RetrieveIndexAsync(string sessionId, CheckpointInfo? withParent = null)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = withParent is null
            ? "SELECT checkpoint_id FROM workflow_checkpoints WHERE run_id = $r ORDER BY rowid;"
            : "SELECT checkpoint_id FROM workflow_checkpoints WHERE run_id = $r AND parent_id = $p ORDER BY rowid;";
        command.Parameters.AddWithValue("$r", sessionId);
        if (withParent is not null) command.Parameters.AddWithValue("$p", withParent.CheckpointId);
        var list = new List<CheckpointInfo>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false)) list.Add(new CheckpointInfo(sessionId, reader.GetString(0)));
        return list;
    }
}
