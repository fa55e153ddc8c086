namespace AgentHost.Plugins;

/// <summary>
/// A function argument is missing or out of range. The message names the argument and what is allowed, so a person
/// (CLI, HTTP 400) or the model (tool result) can fix the call.
/// </summary>
public sealed class PluginInputException : ArgumentException
{
    public PluginInputException(string parameter, string problem) : base($"{parameter}: {problem}", parameter)
    {
        Problem = problem;
    }

    /// <summary>What is wrong, without the argument name.</summary>
    public string Problem { get; }

    public override string Message => $"{ParamName}: {Problem}";
}
