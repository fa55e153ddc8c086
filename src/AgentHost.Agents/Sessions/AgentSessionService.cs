using AgentHost.Agents.Catalog;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Sessions;

/// <summary>
/// Opens, saves and reads agent sessions by id and customer: the one place the CLI, the HTTP layer and samples
/// go through, so every session is an <see cref="AgentSession"/> of the framework stored by
/// <see cref="SqliteAgentSessionStore"/>.
/// </summary>
public sealed class AgentSessionService(AgentCatalog catalog, SqliteAgentSessionStore store, SqliteChatHistoryProvider history)
{
    /// <summary>The session <paramref name="sessionId"/> of <paramref name="customerId"/> with agent <paramref name="agentName"/>, created when new.</summary>
    public async Task<AgentSession> OpenAsync(string agentName, string sessionId, string? customerId = null, CancellationToken cancellationToken = default)
    {
        ValidateSessionId(sessionId);
        return await store.GetOrCreateSessionAsync(catalog.Get(agentName), SqliteAgentSessionStore.Key(sessionId, customerId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An existing session, or <see cref="AgentSessionNotFoundException"/>.</summary>
    public async Task<AgentSession> ResumeAsync(string agentName, string sessionId, string? customerId = null, CancellationToken cancellationToken = default)
    {
        ValidateSessionId(sessionId);
        return await store.GetSessionAsync(catalog.Get(agentName), SqliteAgentSessionStore.Key(sessionId, customerId), cancellationToken).ConfigureAwait(false)
            ?? throw new AgentSessionNotFoundException(sessionId);
    }

    /// <summary>Stores the framework's serialized state of <paramref name="session"/> (its messages are stored as each call completes).</summary>
    public async Task SaveAsync(string agentName, AgentSession session, CancellationToken cancellationToken = default)
    {
        var info = history.GetInfo(session);
        await store.SaveSessionAsync(catalog.Get(agentName), SqliteAgentSessionStore.Key(info.SessionId, info.CustomerId), session, cancellationToken).ConfigureAwait(false);
    }

    public AgentSessionInfo Info(AgentSession session) => history.GetInfo(session);

    /// <summary>Every stored message of a session, oldest first (not compacted).</summary>
    public async Task<IReadOnlyList<ChatMessage>> MessagesAsync(string sessionId, CancellationToken cancellationToken = default) =>
        (await history.LoadAsync(sessionId, cancellationToken).ConfigureAwait(false)).Select(m => m.Message).ToList();

    public async Task<(string Agent, string Customer)?> OwnerAsync(string sessionId, CancellationToken cancellationToken = default) =>
        await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) is { } row ? (row.Agent, row.Customer) : null;

    public Task<bool> DeleteAsync(string sessionId, string? customerId, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(sessionId, string.IsNullOrWhiteSpace(customerId) ? AgentSessionInfo.AnonymousCustomer : customerId, cancellationToken);

    private static void ValidateSessionId(string sessionId)
    {
        if (string.IsNullOrWhiteSpace(sessionId) || sessionId.Length > 128 || sessionId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')))
            throw new ArgumentException($"session_id: '{sessionId}' is not a session id (letters, digits, '-', '_', '.', ':'; at most 128 characters)", nameof(sessionId));
    }
}
