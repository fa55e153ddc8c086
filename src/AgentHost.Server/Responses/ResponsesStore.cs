using AgentHost.Agents.Sessions;
using Microsoft.Data.Sqlite;

namespace AgentHost.Server.Responses;

/// <summary>A stored response: which agent session it ran in, for whom, and what the client sent and got back.</summary>
internal sealed record StoredResponse(
    string Id, string SessionId, string Agent, string Customer, string? ConversationId,
    string ResponseJson, string InputJson, string PendingApprovalsJson, DateTimeOffset CreatedAt);

/// <summary>A conversation: an agent session id with its metadata (the agent is bound by its first response).</summary>
internal sealed record StoredConversation(string Id, string? Agent, string Customer, string MetadataJson, string? Title, DateTimeOffset CreatedAt);

/// <summary>
/// The Responses API's own rows, in the agent session database next to the sessions they index: <c>responses</c>
/// (a response id → its agent session, the response object and input items as JSON, approvals it left pending) and
/// <c>conversations</c> (a conversation id is the id of its agent session). Messages themselves are the session's,
/// kept by <see cref="SqliteChatHistoryProvider"/>.
/// </summary>
internal sealed class ResponsesStore(AgentSessionDatabase database)
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS responses (
            response_id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL,
            agent TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            conversation_id TEXT,
            response_json TEXT NOT NULL,
            input_json TEXT NOT NULL,
            pending_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            seq INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS responses_by_session ON responses (session_id, seq);
        CREATE TABLE IF NOT EXISTS conversations (
            conversation_id TEXT PRIMARY KEY,
            agent TEXT,
            customer_id TEXT NOT NULL,
            metadata_json TEXT NOT NULL,
            title TEXT,
            created_at TEXT NOT NULL);
        """;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _created;
    private long _seq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_created)
                {
                    await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using var command = connection.CreateCommand();
                    command.CommandText = Schema;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    _created = true;
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        return await database.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        // Creates the tables first; the write runs in the database's serialized transaction.
        await (await OpenAsync(cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        return await database.WriteAsync(work, cancellationToken).ConfigureAwait(false);
    }

    public Task SaveResponseAsync(StoredResponse response, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO responses (response_id, session_id, agent, customer_id, conversation_id, response_json, input_json, pending_json, created_at, seq)
                VALUES ($id, $s, $a, $c, $conv, $r, $i, $p, $t, $q);
                """;
            command.Parameters.AddWithValue("$id", response.Id);
            command.Parameters.AddWithValue("$s", response.SessionId);
            command.Parameters.AddWithValue("$a", response.Agent);
            command.Parameters.AddWithValue("$c", response.Customer);
            command.Parameters.AddWithValue("$conv", (object?)response.ConversationId ?? DBNull.Value);
            command.Parameters.AddWithValue("$r", response.ResponseJson);
            command.Parameters.AddWithValue("$i", response.InputJson);
            command.Parameters.AddWithValue("$p", response.PendingApprovalsJson);
            command.Parameters.AddWithValue("$t", response.CreatedAt.ToString("O"));
            command.Parameters.AddWithValue("$q", Interlocked.Increment(ref _seq));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The response <paramref name="id"/> of <paramref name="customer"/>; another customer's reads as none.</summary>
    public async Task<StoredResponse?> FindResponseAsync(string id, string customer, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ResponseColumns} FROM responses WHERE response_id = $id AND customer_id = $c;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$c", customer);
        return await ReadResponseAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest response of a session (the one whose approvals may be pending).</summary>
    public async Task<StoredResponse?> LatestInSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ResponseColumns} FROM responses WHERE session_id = $s ORDER BY seq DESC LIMIT 1;";
        command.Parameters.AddWithValue("$s", sessionId);
        return await ReadResponseAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The responses of a session, oldest first.</summary>
    public async Task<IReadOnlyList<StoredResponse>> ResponsesInSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ResponseColumns} FROM responses WHERE session_id = $s ORDER BY seq;";
        command.Parameters.AddWithValue("$s", sessionId);
        var list = new List<StoredResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(Read(reader));
        return list;
    }

    public Task<bool> DeleteResponseAsync(string id, string customer, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM responses WHERE response_id = $id AND customer_id = $c;";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$c", customer);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    public Task CreateConversationAsync(StoredConversation conversation, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO conversations (conversation_id, agent, customer_id, metadata_json, title, created_at)
                VALUES ($id, $a, $c, $m, $t, $at);
                """;
            command.Parameters.AddWithValue("$id", conversation.Id);
            command.Parameters.AddWithValue("$a", (object?)conversation.Agent ?? DBNull.Value);
            command.Parameters.AddWithValue("$c", conversation.Customer);
            command.Parameters.AddWithValue("$m", conversation.MetadataJson);
            command.Parameters.AddWithValue("$t", (object?)conversation.Title ?? DBNull.Value);
            command.Parameters.AddWithValue("$at", conversation.CreatedAt.ToString("O"));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Binds a conversation to the agent of its first response and records its title (first user text) once.</summary>
    public Task BindConversationAsync(string id, string agent, string? title, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE conversations SET agent = COALESCE(agent, $a), title = COALESCE(title, $t) WHERE conversation_id = $id;";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$a", agent);
            command.Parameters.AddWithValue("$t", (object?)title ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<StoredConversation?> FindConversationAsync(string id, string customer, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ConversationColumns} FROM conversations WHERE conversation_id = $id AND customer_id = $c;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$c", customer);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadConversation(reader) : null;
    }

    /// <summary>A customer's conversations, newest first.</summary>
    public async Task<IReadOnlyList<StoredConversation>> ListConversationsAsync(string customer, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ConversationColumns} FROM conversations WHERE customer_id = $c ORDER BY created_at DESC, conversation_id LIMIT $n;";
        command.Parameters.AddWithValue("$c", customer);
        command.Parameters.AddWithValue("$n", limit);
        var list = new List<StoredConversation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadConversation(reader));
        return list;
    }

    /// <summary>Deletes a conversation and the responses stored in it (its session is deleted by the caller).</summary>
    public Task<bool> DeleteConversationAsync(string id, string customer, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM conversations WHERE conversation_id = $id AND customer_id = $c;";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$c", customer);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0) return false;
            await using var responses = connection.CreateCommand();
            responses.Transaction = transaction;
            responses.CommandText = "DELETE FROM responses WHERE conversation_id = $id;";
            responses.Parameters.AddWithValue("$id", id);
            await responses.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private const string ResponseColumns = "response_id, session_id, agent, customer_id, conversation_id, response_json, input_json, pending_json, created_at";
    private const string ConversationColumns = "conversation_id, agent, customer_id, metadata_json, title, created_at";

    private static async Task<StoredResponse?> ReadResponseAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static StoredResponse Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
        DateTimeOffset.Parse(reader.GetString(8), System.Globalization.CultureInfo.InvariantCulture));

    private static StoredConversation ReadConversation(SqliteDataReader reader) => new(
        reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        DateTimeOffset.Parse(reader.GetString(5), System.Globalization.CultureInfo.InvariantCulture));
}
