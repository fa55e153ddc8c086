using AgentHost.Agents.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Mcp.Client;

/// <summary>Registers the MCP servers of appsettings.json (Mcp:Servers) as tool sources.</summary>
public static class McpClientServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="McpOptions"/> from the "Mcp" section (validated at start, messages naming the key),
    /// registers <see cref="McpClientRegistry"/> (started with the host; it connects in the background and
    /// reconnects) and, for each configured server, a <see cref="KernelPlugin"/> named after it so every Kernel
    /// from DI can call its tools (FunctionChoiceBehavior and the tool-call grammar apply as to any plugin), and an
    /// <see cref="IAgentToolSource"/> so agents can name the servers in <c>Agents:&lt;name&gt;:McpServers</c>.
    /// </summary>
    public static IServiceCollection AddAgentHostMcpClients(this IServiceCollection services, IConfiguration configuration, Action<McpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<McpOptions>().Bind(configuration.GetSection(McpOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        if (services.Any(d => d.ServiceType == typeof(McpClientRegistry))) return services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpOptions>, McpOptionsValidator>());
        services.AddSingleton<McpClientRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<McpClientRegistry>());
        // Agents name servers in Agents:<name>:McpServers; their tools come from the registry on each run.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentToolSource, McpAgentToolSource>());

        // The plugin names must be known now (SK's Kernel collects KernelPlugin registrations): from configuration,
        // plus any the configure callback adds.
        var names = new HashSet<string>(configuration.GetSection(McpOptions.SectionName).GetSection("Servers").GetChildren().Select(c => c.Key), StringComparer.OrdinalIgnoreCase);
        if (configure is not null)
        {
            var probe = new McpOptions();
            configure(probe);
            names.UnionWith(probe.Servers.Keys);
        }
        foreach (var name in names)
        {
            services.AddSingleton<KernelPlugin>(sp =>
            {
                var registry = sp.GetRequiredService<McpClientRegistry>();
                // A disabled server still gets a (permanently empty) plugin, so the kernel's plugin list is stable.
                return registry.ServerNames.Contains(name, StringComparer.OrdinalIgnoreCase) ? registry.GetPlugin(name) : KernelPluginFactory.CreateFromFunctions(name, []);
            });
        }
        return services;
    }
}
