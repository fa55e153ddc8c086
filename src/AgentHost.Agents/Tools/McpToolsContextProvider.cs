using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tools;

/// <summary>The tools of the MCP servers an agent names ("Agents:&lt;name&gt;:McpServers"), fetched from the registered <see cref="IAgentToolSource"/>s on each run.</summary>
public sealed class McpToolsContextProvider(IReadOnlyList<(string Server, IAgentToolSource Source)> servers) : AIContextProvider
{
    public override IReadOnlyList<string> StateKeys => ["agenthost.mcp-tools"];

    protected override async ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        var tools = new List<AITool>();
        foreach (var (server, source) in servers)
            tools.AddRange(await source.GetToolsAsync(server, cancellationToken).ConfigureAwait(false));
        return new AIContext { Tools = tools };
    }
}
