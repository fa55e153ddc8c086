namespace AgentHost.Plugins.Text;

/// <summary>Counts tokens the way the serving model does, so long inputs are split to fit its context window.</summary>
public interface ITokenCounter
{
    /// <summary>Tokens one request may hold (prompt and output together).</summary>
    int ContextSize { get; }

    int CountTokens(string text);
}
