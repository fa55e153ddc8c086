namespace AgentHost.Gguf;

/// <summary>
/// Base type for the errors AgentHost raises about its own inputs (model files, metadata, configuration),
/// so callers can catch every AgentHost problem with one clause while keeping the specific types.
/// </summary>
public class AgentHostException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public AgentHostException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public AgentHostException(string message, Exception? innerException) : base(message, innerException) { }
}
