using System.Text.Json;
using AgentHost.Plugins.Text;
using Microsoft.Agents.AI;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Sessions;

/// <summary>
/// The framework's <see cref="ChatHistoryProvider"/> seam backed by SQLite: a session's messages are read from
/// <c>agent_messages</c> before each model call and the new request and response messages are appended, in one
/// transaction, as each call completes (agents run with per-service-call persistence, so a tool loop is stored step
/// by step, not only at the end of a run). History longer than the token budget reaches the model compacted by
/// <see cref="TokenBudgetChatReducer"/>; every message stays in the database.
/// </summary>
public sealed class SqliteChatHistoryProvider : ChatHistoryProvider
{
    /// <summary>The StateBag key holding <see cref="AgentSessionInfo"/>.</summary>
    public const string StateKey = "agenthost.session";

    private static readonly JsonSerializerOptions Json = AIJsonUtilities.DefaultOptions;
    private readonly AgentSessionDatabase _database;
    private readonly ITokenCounter _tokens;
    private readonly IChatReducer? _reducer;
    private readonly ProviderSessionState<AgentSessionInfo> _state;

    public SqliteChatHistoryProvider(AgentSessionDatabase database, ITokenCounter tokens, IChatReducer? reducer = null)
    {
        _database = database;
        _tokens = tokens;
        _reducer = reducer;
        // A session the framework created without our store (agent.CreateSessionAsync()) gets a fresh id here.
        _state = new ProviderSessionState<AgentSessionInfo>(_ => new AgentSessionInfo(NewSessionId(), AgentSessionInfo.AnonymousCustomer), StateKey, Json);
    }

    public override IReadOnlyList<string> StateKeys => [StateKey];

    public static string NewSessionId() => "sess_" + Guid.NewGuid().ToString("N");

    /// <summary>The session id and customer of <paramref name="session"/> (assigned on first use).</summary>
    public AgentSessionInfo GetInfo(AgentSession? session)
    {
        var info = _state.GetOrInitializeState(session);
        if (session is not null) _state.SaveState(session, info);
        return info;
    }

    /// <summary>Ties <paramref name="session"/> to a session id and customer.</summary>
    public void SetInfo(AgentSession session, AgentSessionInfo info) => _state.SaveState(session, info);

    protected override async ValueTask<IEnumerable<ChatMessage>> ProvideChatHistoryAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        var info = GetInfo(context.Session);
        var stored = await LoadAsync(info.SessionId, cancellationToken).ConfigureAwait(false);
        if (_reducer is null) return stored.Select(s => s.Message);
        return await _reducer.ReduceAsync(stored.Select(s => s.Message), cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask StoreChatHistoryAsync(InvokedContext context, CancellationToken cancellationToken = default)
    {
        var info = GetInfo(context.Session);
        var messages = (context.RequestMessages ?? []).Concat(context.ResponseMessages ?? []).ToList();
        if (messages.Count == 0) return;
        await AppendAsync(info.SessionId, messages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stored message with its position and token count.</summary>
    public sealed record StoredMessage(long Seq, ChatMessage Message, int Tokens);

    /// <summary>Every message of a session, oldest first.</summary>
    public async Task<IReadOnlyList<StoredMessage>> LoadAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, message_json, tokens FROM agent_messages WHERE session_id = $s ORDER BY seq;";
        command.Parameters.AddWithValue("$s", sessionId);
        var list = new List<StoredMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var message = JsonSerializer.Deserialize<ChatMessage>(reader.GetString(1), Json)
                ?? throw new InvalidDataException($"session {sessionId}: message {reader.GetInt64(0)} is empty");
            TokenBudgetChatReducer.RememberTokens(message, reader.GetInt32(2));
            list.Add(new StoredMessage(reader.GetInt64(0), message, reader.GetInt32(2)));
        }
        return list;
    }

    /// <summary>Appends messages to a session in one transaction.</summary>
    public Task AppendAsync(string sessionId, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, transaction) =>
        {
            long next;
            await using (var max = connection.CreateCommand())
            {
                max.Transaction = transaction;
                max.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM agent_messages WHERE session_id = $s;";
                max.Parameters.AddWithValue("$s", sessionId);
                next = Convert.ToInt64(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) + 1;
            }
            var now = DateTimeOffset.UtcNow.ToString("O");
            foreach (var message in messages)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO agent_messages (session_id, seq, role, message_json, tokens, created_at) VALUES ($s, $q, $r, $j, $t, $c);";
                insert.Parameters.AddWithValue("$s", sessionId);
                insert.Parameters.AddWithValue("$q", next++);
                insert.Parameters.AddWithValue("$r", message.Role.Value);
                insert.Parameters.AddWithValue("$j", JsonSerializer.Serialize(message, Json));
                insert.Parameters.AddWithValue("$t", TokenBudgetChatReducer.CountTokens(message, _tokens));
                insert.Parameters.AddWithValue("$c", now);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using (var touch = connection.CreateCommand())
            {
                touch.Transaction = transaction;
                touch.CommandText = "UPDATE agent_sessions SET updated_at = $c WHERE session_id = $s;";
                touch.Parameters.AddWithValue("$s", sessionId);
                touch.Parameters.AddWithValue("$c", now);
                await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            return 0;
        }, cancellationToken);

    /// <summary>Removes a session's messages (the session row is removed by the store).</summary>
    internal static async Task DeleteMessagesAsync(SqliteConnection connection, SqliteTransaction transaction, string sessionId, CancellationToken cancellationToken)
    {
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM agent_messages WHERE session_id = $s;";
        delete.Parameters.AddWithValue("$s", sessionId);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
