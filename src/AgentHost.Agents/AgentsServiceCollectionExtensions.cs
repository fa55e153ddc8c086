using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using AgentHost.Agents.Catalog;
using AgentHost.Agents.Configuration;
using AgentHost.Agents.Sessions;
using AgentHost.Agents.Tools;
using AgentHost.Agents.Workflows;
using AgentHost.Hosting;
using AgentHost.Llama.Chat;
using AgentHost.Plugins;
using AgentHost.Plugins.Text;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentHost.Agents;

/// <summary>Registers the Microsoft Agent Framework agents of AgentHost.</summary>
public static partial class AgentsServiceCollectionExtensions
{
    private static readonly string[] ListProperties = [nameof(AgentDefinition.Tools), nameof(AgentDefinition.Agents), nameof(AgentDefinition.ApprovalRequired), nameof(AgentDefinition.McpServers)];

    /// <summary>
    /// Adds the named agents: the built-in <c>support</c>, <c>writer</c>, <c>translator</c> and <c>summarizer</c>,
    /// overridden and extended by "Agents:&lt;name&gt;" in <paramref name="configuration"/>; each is a
    /// <see cref="ChatClientAgent"/> resolvable as a keyed <see cref="AIAgent"/> by its name; sessions in SQLite
    /// ("AgentSessions:DatabasePath"). Adds the plugins too (AddAgentHostPlugins). Call after AddLlamaChatClient and
    /// AddAgentHostKernel.
    /// </summary>
    public static IServiceCollection AddAgentHostAgents(this IServiceCollection services, IConfiguration? configuration = null, Action<AgentHostAgentsOptions>? configure = null)
    {
        services.AddAgentHostPlugins(configuration);
        var options = services.AddOptions<AgentHostAgentsOptions>().Configure(o =>
        {
            foreach (var (name, definition) in BuiltInAgents.Create()) o.Agents.TryAdd(name, definition);
            if (configuration is null) return;
            foreach (var child in configuration.GetSection(AgentHostAgentsOptions.AgentsSection).GetChildren())
            {
                if (!o.Agents.TryGetValue(child.Key, out var definition)) o.Agents[child.Key] = definition = new AgentDefinition();
                // A list in configuration replaces the built-in one instead of adding to it.
                foreach (var list in ListProperties.Where(p => child.GetSection(p).Exists()))
                    ((System.Collections.IList)typeof(AgentDefinition).GetProperty(list)!.GetValue(definition)!).Clear();
                child.Bind(definition);
            }
            configuration.GetSection(AgentHostAgentsOptions.SessionsSection).Bind(o.Sessions);
            if (configuration.GetSection(AgentHostAgentsOptions.ToolsSection)["MaxStringLength"] is { } max)
                o.MaxToolStringLength = int.Parse(max, System.Globalization.CultureInfo.InvariantCulture);
        });
        if (configure is not null) options.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(AgentCatalog))) return services;
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentHostAgentsOptions>, AgentOptionsValidator>());

        services.TryAddKeyedSingleton<IChatClient>(AgentCatalog.ChatClientKey, (sp, _) =>
            new ChatClientBuilder(sp.GetRequiredKeyedService<IChatClient>(LlamaServiceCollectionExtensions.ModelChatClientKey))
                .Use(inner => new BoundedToolStringsChatClient(inner, sp.GetRequiredService<IOptions<AgentHostAgentsOptions>>().Value.MaxToolStringLength))
                .UseLogging()
                .Build(sp));
        services.TryAddSingleton(sp => new AgentSessionDatabase(sp.GetRequiredService<IOptions<AgentHostAgentsOptions>>().Value.Sessions.DatabasePath));
        services.TryAddSingleton(sp =>
        {
            var tokens = sp.GetRequiredService<ITokenCounter>();
            var configured = sp.GetRequiredService<IOptions<AgentHostAgentsOptions>>().Value.Sessions.MaxHistoryTokens;
            var reducer = new TokenBudgetChatReducer(tokens, () => configured > 0 ? configured : tokens.ContextSize * 3 / 4);
            return new SqliteChatHistoryProvider(sp.GetRequiredService<AgentSessionDatabase>(), tokens, reducer);
        });
        services.TryAddSingleton<SqliteAgentSessionStore>();
        services.TryAddSingleton<AgentSessionStore>(sp => sp.GetRequiredService<SqliteAgentSessionStore>());
        services.TryAddSingleton<AgentSessionService>();
        services.TryAddSingleton<AgentCatalog>();
        services.TryAddSingleton(sp => new AgentHostWorkflows(sp.GetRequiredService<AgentCatalog>(), sp.GetRequiredService<Microsoft.SemanticKernel.Kernel>(), sp.GetRequiredService<AgentHost.Plugins.CustomerService.Storage.TicketRepository>()));
        services.TryAddSingleton<WorkflowRunService>();
        // Any name: the catalog knows the declared agents (an unknown name throws UnknownAgentException).
        services.AddKeyedSingleton<AIAgent>(KeyedService.AnyKey, (sp, key) => sp.GetRequiredService<AgentCatalog>().Get(key as string ?? throw new ArgumentException("agent names are strings")));
        return services;
    }

    /// <summary>The agent <paramref name="name"/> from DI.</summary>
    public static AIAgent GetAgent(this IServiceProvider services, string name) => services.GetRequiredKeyedService<AIAgent>(name);

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$")]
    internal static partial Regex AgentNamePattern();

    /// <summary>Checks every agent declaration at start; messages name the key.</summary>
    private sealed class AgentOptionsValidator : IValidateOptions<AgentHostAgentsOptions>
    {
        public ValidateOptionsResult Validate(string? name, AgentHostAgentsOptions options)
        {
            var failures = new List<string>();
            foreach (var (agent, definition) in options.Agents)
            {
                if (!AgentNamePattern().IsMatch(agent))
                    failures.Add($"Agents:{agent}: agent names are lower-case letters, digits, '-' and '_' (at most 64, starting with a letter)");
                var results = new List<ValidationResult>();
                Validator.TryValidateObject(definition, new ValidationContext(definition), results, validateAllProperties: true);
                failures.AddRange(results.Select(r => $"Agents:{agent}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
                if (!string.IsNullOrWhiteSpace(definition.Instructions) && !string.IsNullOrWhiteSpace(definition.InstructionsFile))
                    failures.Add($"Agents:{agent}:InstructionsFile: give Instructions or InstructionsFile, not both");
            }
            if (options.MaxToolStringLength is < 1 or > 1_000_000)
                failures.Add($"AgentTools:MaxStringLength: must be between 1 and 1000000 (was {options.MaxToolStringLength})");
            var sessions = new List<ValidationResult>();
            Validator.TryValidateObject(options.Sessions, new ValidationContext(options.Sessions), sessions, validateAllProperties: true);
            failures.AddRange(sessions.Select(r => $"AgentSessions:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
