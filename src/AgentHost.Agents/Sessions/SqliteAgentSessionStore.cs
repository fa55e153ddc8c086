using System.Text.Json;
using AgentHost.Plugins.CustomerService;
using Microsoft.Agents.AI;
using Microsoft.Data.Sqlite;

namespace AgentHost.Agents.Sessions;

/// <summary>
/// The framework's <see cref="AgentSessionStore"/> over SQLite. A key is a session id with a "customer" partition:
/// a session belongs to one customer and one agent, and asking for it as another customer reads as not found.
/// The session's state is the framework's own serialization (<see cref="AIAgent.SerializeSessionAsync"/>); its
/// messages are kept by <see cref="SqliteChatHistoryProvider"/>.
/// </summary>
public sealed class SqliteAgentSessionStore(AgentSessionDatabase database, SqliteChatHistoryProvider history) : AgentSessionStore
{
    public const string CustomerPartition = "customer";

    /// <summary>The key of <paramref name="sessionId"/> for <paramref name="customerId"/> (anonymous when null).</summary>
    public static AgentSessionStoreKey Key(string sessionId, string? customerId) =>
        new(sessionId, new Dictionary<string, string> { [CustomerPartition] = string.IsNullOrWhiteSpace(customerId) ? AgentSessionInfo.AnonymousCustomer : CustomerContext.ValidateId(customerId, "customer_id") });

    private static string Customer(AgentSessionStoreKey key) =>
        key.Partitions is { } p && p.TryGetValue(CustomerPartition, out var c) ? c : AgentSessionInfo.AnonymousCustomer;

    private static string AgentName(AIAgent agent) => agent.Name ?? agent.Id;

    public override async ValueTask<AgentSession?> GetSessionAsync(AIAgent agent, AgentSessionStoreKey key, CancellationToken cancellationToken = default)
    {
        var row = await FindAsync(key.SessionId, cancellationToken).ConfigureAwait(false);
        if (row is null || !string.Equals(row.Value.Customer, Customer(key), StringComparison.Ordinal)) return null;
        if (!string.Equals(row.Value.Agent, AgentName(agent), StringComparison.OrdinalIgnoreCase))
            throw new AgentSessionConflictException(key.SessionId, row.Value.Agent, AgentName(agent));
        using var state = JsonDocument.Parse(row.Value.State);
        var session = await agent.DeserializeSessionAsync(state.RootElement, cancellationToken: cancellationToken).ConfigureAwait(false);
        // The row is the authority on identity, whatever the serialized state says.
        history.SetInfo(session, new AgentSessionInfo(key.SessionId, row.Value.Customer));
        return session;
    }

    public override async ValueTask<AgentSession> GetOrCreateSessionAsync(AIAgent agent, AgentSessionStoreKey key, CancellationToken cancellationToken = default)
    {
        if (await GetSessionAsync(agent, key, cancellationToken).ConfigureAwait(false) is { } existing) return existing;
        var session = await agent.CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        history.SetInfo(session, new AgentSessionInfo(key.SessionId, Customer(key)));
        var created = await InsertAsync(agent, key, session, cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            // Someone created it meanwhile: theirs wins, if it is this customer's; otherwise the id is taken.
            return await GetSessionAsync(agent, key, cancellationToken).ConfigureAwait(false) ?? throw new AgentSessionNotFoundException(key.SessionId);
        }
        return session;
    }

    public override async ValueTask SaveSessionAsync(AIAgent agent, AgentSessionStoreKey key, AgentSession session, CancellationToken cancellationToken = default)
    {
        var state = await agent.SerializeSessionAsync(session, cancellationToken: cancellationToken).ConfigureAwait(false);
        var updated = await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE agent_sessions SET state_json = $j, updated_at = $u WHERE session_id = $s AND customer_id = $c;";
            command.Parameters.AddWithValue("$s", key.SessionId);
            command.Parameters.AddWithValue("$c", Customer(key));
            command.Parameters.AddWithValue("$j", state.GetRawText());
            command.Parameters.AddWithValue("$u", DateTimeOffset.UtcNow.ToString("O"));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (updated == 0 && !await InsertAsync(agent, key, session, cancellationToken).ConfigureAwait(false))
            throw new AgentSessionNotFoundException(key.SessionId);
    }

    public override async ValueTask DeleteSessionAsync(AIAgent agent, AgentSessionStoreKey key, CancellationToken cancellationToken = default) =>
        await DeleteAsync(key.SessionId, Customer(key), cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes a session and its messages; false when there is none for this customer.</summary>
    public Task<bool> DeleteAsync(string sessionId, string customerId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM agent_sessions WHERE session_id = $s AND customer_id = $c;";
            command.Parameters.AddWithValue("$s", sessionId);
            command.Parameters.AddWithValue("$c", customerId);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0) return false;
            await SqliteChatHistoryProvider.DeleteMessagesAsync(connection, transaction, sessionId, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>A stored session's owner and state.</summary>
    public async Task<(string Agent, string Customer, string State)?> FindAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT agent, customer_id, state_json FROM agent_sessions WHERE session_id = $s;";
        command.Parameters.AddWithValue("$s", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    private async Task<bool> InsertAsync(AIAgent agent, AgentSessionStoreKey key, AgentSession session, CancellationToken cancellationToken)
    {
        var state = await agent.SerializeSessionAsync(session, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO agent_sessions (session_id, agent, customer_id, state_json, created_at, updated_at)
                VALUES ($s, $a, $c, $j, $u, $u) ON CONFLICT(session_id) DO NOTHING;
                """;
            command.Parameters.AddWithValue("$s", key.SessionId);
            command.Parameters.AddWithValue("$a", AgentName(agent));
            command.Parameters.AddWithValue("$c", Customer(key));
            command.Parameters.AddWithValue("$j", state.GetRawText());
            command.Parameters.AddWithValue("$u", DateTimeOffset.UtcNow.ToString("O"));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken).ConfigureAwait(false);
    }
}
