using System.ComponentModel.DataAnnotations;

namespace AgentHost.Agents.Configuration;

/// <summary>
/// Settings of the agent host: the agents ("Agents" section, one child per agent, merged over the built-in
/// <c>support</c>, <c>writer</c>, <c>translator</c> and <c>summarizer</c>) and their session store ("AgentSessions").
/// </summary>
public sealed class AgentHostAgentsOptions
{
    public const string AgentsSection = "Agents";
    public const string SessionsSection = "AgentSessions";
    public const string ToolsSection = "AgentTools";

    /// <summary>The declared agents by name (names are case-insensitive).</summary>
    public Dictionary<string, AgentDefinition> Agents { get; } = new(StringComparer.OrdinalIgnoreCase);

    public AgentSessionOptions Sessions { get; set; } = new();

    /// <summary>
    /// maxLength given to tool string parameters that have no bound ("AgentTools:MaxStringLength"), so the tool
    /// grammar closes every call within the token limit.
    /// </summary>
    public int MaxToolStringLength { get; set; } = 1000;
}

/// <summary>Where agent sessions live and how much history a turn carries ("AgentSessions").</summary>
public sealed class AgentSessionOptions
{
    /// <summary>SQLite file of agent sessions (created and migrated on first use).</summary>
    [Required]
    public string DatabasePath { get; set; } = "agenthost-sessions.db";

    /// <summary>
    /// Tokens of the context window the stored history may fill before older turns are compacted (counted with the
    /// model's tokenizer); 0 = three quarters of the model's window.
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxHistoryTokens { get; set; }
}
