namespace AgentHost.Agents.Sessions;

/// <summary>A session id that does not exist for this customer (another customer's session reads the same: its existence is not confirmed).</summary>
public sealed class AgentSessionNotFoundException(string sessionId)
    : KeyNotFoundException($"session_id: there is no session '{sessionId}' for this customer")
{
    public string SessionId { get; } = sessionId;
}

/// <summary>A session id used with a different agent than the one that owns it.</summary>
public sealed class AgentSessionConflictException(string sessionId, string owner, string requested)
    : InvalidOperationException($"session_id: session '{sessionId}' belongs to agent '{owner}', not '{requested}'")
{
    public string SessionId { get; } = sessionId;
}
