using AgentHost.Agents.Catalog;
using AgentHost.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.SemanticKernel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AgentHost.Mcp.Server;

/// <summary>Registers AgentHost's MCP server: the DI kernel's plugins and the host's agents as tools, the prompt library as prompts.</summary>
public static class McpServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the official SDK's MCP server with tools/list, tools/call, prompts/list and prompts/get answered from
    /// the <see cref="Kernel"/> in DI (AddAgentHostKernel + AddAgentHostPlugins) and its <see cref="PromptLibrary"/>.
    /// Choose the transport on the returned builder: <c>.WithHttpTransport()</c> then <c>app.MapMcp("/mcp")</c>,
    /// or <c>.WithStdioServerTransport()</c>.
    /// </summary>
    public static IMcpServerBuilder AddAgentHostMcpServer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<KernelToolCatalog>();
        // Agents are tools too when the host has them (AddAgentHostAgents).
        services.TryAddSingleton(sp => sp.GetService<AgentCatalog>() is { } agents ? new AgentToolCatalog(agents, sp.GetService<Microsoft.Extensions.Logging.ILogger<AgentToolCatalog>>()) : null!);
        services.TryAddSingleton(sp => sp.GetService<PromptLibrary>() is { } library ? new PromptCatalog(library, sp.GetRequiredService<Kernel>()) : null!);
        var version = typeof(McpServerServiceCollectionExtensions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "agenthost", Title = "AgentHost", Version = version };
                o.ServerInstructions = "AgentHost's kernel plugins (customer service, writing, translation, summarization) and its agents (agent_<name>) as tools, and its prompt templates as prompts.";
            })
            .WithListToolsHandler((request, _) =>
            {
                var list = Tools(request.Services!).ListTools();
                if (Agents(request.Services!) is { } agents) list.Tools = [.. list.Tools, .. agents.ListTools()];
                return ValueTask.FromResult(list);
            })
            .WithCallToolHandler(async (request, cancellationToken) =>
            {
                var call = request.Params ?? throw new McpProtocolException("tools/call needs params with a tool name.", McpErrorCode.InvalidParams);
                if (Agents(request.Services!) is { } agents && agents.Owns(call.Name))
                    return await agents.CallAsync(call.Name, call.Arguments, cancellationToken).ConfigureAwait(false);
                return await Tools(request.Services!).CallAsync(call.Name, call.Arguments, cancellationToken).ConfigureAwait(false);
            })
            .WithListPromptsHandler((request, _) => ValueTask.FromResult(Prompts(request.Services!)?.ListPrompts() ?? new ListPromptsResult { Prompts = [] }))
            .WithGetPromptHandler(async (request, cancellationToken) =>
            {
                var get = request.Params ?? throw new McpProtocolException("prompts/get needs params with a prompt name.", McpErrorCode.InvalidParams);
                var catalog = Prompts(request.Services!) ?? throw new McpProtocolException("This server has no prompt library.", McpErrorCode.InvalidParams);
                var arguments = get.Arguments?.ToDictionary(a => a.Key, a => a.Value.ValueKind == System.Text.Json.JsonValueKind.String ? a.Value.GetString()! : a.Value.GetRawText());
                return await catalog.GetAsync(get.Name, arguments, cancellationToken).ConfigureAwait(false);
            });
    }

    private static KernelToolCatalog Tools(IServiceProvider services) => services.GetRequiredService<KernelToolCatalog>();

    private static AgentToolCatalog? Agents(IServiceProvider services) => services.GetService<AgentToolCatalog>();

    private static PromptCatalog? Prompts(IServiceProvider services) => services.GetService<PromptCatalog>();
}
