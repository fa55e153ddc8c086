using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tools;

/// <summary>
/// Tools from outside the kernel, by server name — the hook for "Agents:&lt;name&gt;:McpServers": an MCP client
/// integration registers one of these and returns each server's tools as AIFunctions.
/// </summary>
public interface IAgentToolSource
{
    /// <summary>Whether this source knows the server <paramref name="server"/>.</summary>
    bool Knows(string server);

    Task<IReadOnlyList<AITool>> GetToolsAsync(string server, CancellationToken cancellationToken = default);
}
