using AgentHost.Agents.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Mcp.Client;

/// <summary>
/// The configured MCP servers (Mcp:Servers) as the tool source behind <c>Agents:&lt;name&gt;:McpServers</c>: each run
/// gets the server's tools as they are at that moment (none while it is down, all again once it reconnects), and they
/// go through the same grammar-constrained tool calling as kernel tools.
/// </summary>
public sealed class McpAgentToolSource(McpClientRegistry registry) : IAgentToolSource
{
    /// <inheritdoc />
    public bool Knows(string server) => registry.ServerNames.Contains(server, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public Task<IReadOnlyList<AITool>> GetToolsAsync(string server, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AITool>>([.. registry.GetTools(server)]);
}
