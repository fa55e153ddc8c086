namespace AgentHost.Agents.Sessions;

/// <summary>
/// What ties a framework <c>AgentSession</c> to its rows in SQLite, kept in the session's StateBag (and so in its
/// serialized form): the session id and the customer it belongs to.
/// </summary>
public sealed record AgentSessionInfo(string SessionId, string CustomerId)
{
    /// <summary>The customer of sessions opened without one (CLI runs, anonymous HTTP calls).</summary>
    public const string AnonymousCustomer = "anonymous";
}
