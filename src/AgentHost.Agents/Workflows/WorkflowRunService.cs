using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentHost.Agents.Sessions;
using Microsoft.Agents.AI.Workflows;

namespace AgentHost.Agents.Workflows;

/// <summary>A pending human request of a workflow run.</summary>
public sealed record PendingRequest(string RequestId, string Port, JsonElement Data);

/// <summary>Where a workflow run stands after it halted: its outputs so far, the requests it waits for, its last checkpoint.</summary>
public sealed record WorkflowRunResult(string RunId, string Workflow, string Status, IReadOnlyList<object> Outputs, IReadOnlyList<PendingRequest> Pending, string? LastCheckpointId);

/// <summary>A workflow run that failed: the executor and the error.</summary>
public sealed class WorkflowRunException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// Runs the ready workflows in process with the framework's checkpointing into SQLite: a run that reaches a
/// RequestPort halts with its pending requests recorded (<c>workflow_runs</c>); answering one later — in this
/// process or after a restart — restores the run from its last checkpoint and resumes it.
/// </summary>
public sealed class WorkflowRunService(AgentHostWorkflows workflows, AgentSessionDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private readonly CheckpointManager _checkpoints = CheckpointManager.CreateJson(new SqliteCheckpointStore(database), Json);

    public async Task<WorkflowRunResult> StartAsync(string workflow, object input, string? runId = null, CancellationToken cancellationToken = default)
    {
        var built = workflows.Build(workflow);
        runId ??= "run_" + Guid.NewGuid().ToString("N");
        await using var run = await StartRunAsync(built, input, runId, cancellationToken).ConfigureAwait(false);
        var result = await DriveAsync(workflow, run, null, cancellationToken).ConfigureAwait(false);
        await SaveAsync(result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Answers the pending request of run <paramref name="runId"/> with <paramref name="answer"/> (the port's response type, or text it parses) and runs on.</summary>
    public async Task<WorkflowRunResult> RespondAsync(string runId, object answer, CancellationToken cancellationToken = default)
    {
        var (workflow, checkpoint, status) = await LoadAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"run_id: there is no workflow run '{runId}'");
        if (status != "pending") throw new InvalidOperationException($"run_id: run '{runId}' is {status}, not waiting for an answer");
        if (checkpoint is null) throw new InvalidOperationException($"run_id: run '{runId}' has no checkpoint to resume from");
        var built = workflows.Build(workflow);
        await using var run = await InProcessExecution.ResumeStreamingAsync(built, new CheckpointInfo(runId, checkpoint), _checkpoints, cancellationToken).ConfigureAwait(false);
        var result = await DriveAsync(workflow, run, answer, cancellationToken).ConfigureAwait(false);
        await SaveAsync(result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>A run as last recorded.</summary>
    public async Task<(string Workflow, string? Checkpoint, string Status)?> LoadAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT workflow, last_checkpoint_id, status FROM workflow_runs WHERE run_id = $r;";
        command.Parameters.AddWithValue("$r", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
    }

    private async ValueTask<StreamingRun> StartRunAsync(Workflow workflow, object input, string runId, CancellationToken cancellationToken) => input switch
    {
        CustomerRequest r => await InProcessExecution.RunStreamingAsync(workflow, r, _checkpoints, runId, cancellationToken).ConfigureAwait(false),
        WritingBrief r => await InProcessExecution.RunStreamingAsync(workflow, r, _checkpoints, runId, cancellationToken).ConfigureAwait(false),
        TranslationJob r => await InProcessExecution.RunStreamingAsync(workflow, r, _checkpoints, runId, cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentException($"input: a {input.GetType().Name} starts no workflow"),
    };

    private async Task<WorkflowRunResult> DriveAsync(string workflow, StreamingRun run, object? answer, CancellationToken cancellationToken)
    {
        var outputs = new List<object>();
        var pending = new Dictionary<string, ExternalRequest>();
        string? checkpoint = null;
        var answered = answer is null;
        // Pass 1 runs until the workflow halts; a restored run re-announces its pending requests, which the answer meets.
        for (var pass = 0; pass < 3; pass++)
        {
            await foreach (var evt in run.WatchStreamAsync(false, cancellationToken).ConfigureAwait(false))
            {
                switch (evt)
                {
                    case RequestInfoEvent request:
                        pending[request.Request.RequestId] = request.Request;
                        break;
                    case SuperStepCompletedEvent step when step.CompletionInfo?.Checkpoint is { } cp:
                        checkpoint = cp.CheckpointId;
                        break;
                    case WorkflowOutputEvent output when output.Data is not null:
                        outputs.Add(output.Data);
                        break;
                    case ExecutorFailedEvent failed:
                        throw new WorkflowRunException($"{workflow}: step '{failed.ExecutorId}' failed: {failed.Data?.Message}", failed.Data);
                    case WorkflowErrorEvent error:
                        throw new WorkflowRunException($"{workflow}: {error.Exception?.Message ?? "the run failed"}", error.Exception);
                }
            }
            if (answered || pending.Count == 0) break;
            var target = pending.Values.First();
            pending.Remove(target.RequestId);
            var response = answer is string text && target.IsDataOfType<HumanReviewRequest>() ? HumanAnswer.Parse(text) : answer!;
            await run.SendResponseAsync(target.CreateResponse(response)).ConfigureAwait(false);
            answered = true;
        }
        if (!answered) throw new InvalidOperationException($"run_id: run '{run.SessionId}' has no pending request to answer");
        var list = pending.Values.Select(r => new PendingRequest(r.RequestId, r.PortInfo.PortId, r.Data.As<JsonElement?>() ?? JsonSerializer.SerializeToElement(Data(r), Json))).ToList();
        return new WorkflowRunResult(run.SessionId, workflow, list.Count > 0 ? "pending" : "completed", outputs, list, checkpoint);
    }

    private static object? Data(ExternalRequest request) => request.TryGetDataAs<HumanReviewRequest>(out var review) ? review : null;

    private Task SaveAsync(WorkflowRunResult result, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO workflow_runs (run_id, workflow, status, last_checkpoint_id, pending_json, output, updated_at)
                VALUES ($r, $w, $s, $c, $p, $o, $u)
                ON CONFLICT(run_id) DO UPDATE SET status = $s, last_checkpoint_id = COALESCE($c, last_checkpoint_id), pending_json = $p, output = $o, updated_at = $u;
                """;
            command.Parameters.AddWithValue("$r", result.RunId);
            command.Parameters.AddWithValue("$w", result.Workflow);
            command.Parameters.AddWithValue("$s", result.Status);
            command.Parameters.AddWithValue("$c", (object?)result.LastCheckpointId ?? DBNull.Value);
            command.Parameters.AddWithValue("$p", JsonSerializer.Serialize(result.Pending, Json));
            command.Parameters.AddWithValue("$o", result.Outputs.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(result.Outputs, Json));
            command.Parameters.AddWithValue("$u", DateTimeOffset.UtcNow.ToString("O"));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
