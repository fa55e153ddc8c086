namespace AgentHost.Agents.Tools;

/// <summary>An agent declaration that cannot be built; the message names the configuration key.</summary>
public sealed class AgentConfigurationException(string key, string message) : InvalidOperationException($"{key}: {message}")
{
    /// <summary>The configuration key at fault, e.g. "Agents:support:Tools[0]".</summary>
    public string Key { get; } = key;
}

/// <summary>An agent name nobody declared.</summary>
public sealed class UnknownAgentException(string name, IEnumerable<string> known)
    : KeyNotFoundException($"agent: there is no agent '{name}'; declared: {string.Join(", ", known)}")
{
    public string Name { get; } = name;
}
