using System.Collections.Concurrent;
using System.Text.Json;
using AgentHost.Agents.Configuration;
using AgentHost.Agents.Sessions;
using AgentHost.Agents.Tools;
using AgentHost.Plugins;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using AIContextProvider = Microsoft.Agents.AI.AIContextProvider;

namespace AgentHost.Agents.Catalog;

/// <summary>
/// The declared agents, built on first use as <see cref="ChatClientAgent"/>s over the local model: instructions
/// (inline or a file under prompts/), generation options and response format in <see cref="ChatOptions"/>, kernel
/// functions as tools (<see cref="KernelToolsContextProvider"/>), other agents as tools (AsAIFunction), MCP servers
/// through <see cref="IAgentToolSource"/>, and SQLite-backed history with per-service-call persistence.
/// </summary>
public sealed class AgentCatalog
{
    /// <summary>The DI key of the IChatClient agents run on (default: the local LlamaChatClient with logging).</summary>
    public const string ChatClientKey = "AgentHost.Agents";

    private readonly IServiceProvider _services;
    private readonly AgentHostAgentsOptions _options;
    private readonly ConcurrentDictionary<string, Lazy<ChatClientAgent>> _agents = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, KernelToolsContextProvider> _kernelTools = new(StringComparer.OrdinalIgnoreCase);
    private readonly AsyncLocal<ImmutableStack> _building = new();

    public AgentCatalog(IServiceProvider services, IOptions<AgentHostAgentsOptions> options)
    {
        _services = services;
        _options = options.Value;
    }

    /// <summary>Agent names, sorted.</summary>
    public IReadOnlyList<string> Names => _options.Agents.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList();

    public bool Contains(string name) => _options.Agents.ContainsKey(name);

    public AgentDefinition GetDefinition(string name) =>
        _options.Agents.TryGetValue(name, out var d) ? d : throw new UnknownAgentException(name, Names);

    /// <summary>The agent <paramref name="name"/>, built once.</summary>
    public ChatClientAgent Get(string name)
    {
        GetDefinition(name);
        var stack = _building.Value ?? ImmutableStack.Empty;
        if (stack.Contains(name))
            throw new AgentConfigurationException($"Agents:{name}:Agents", $"agents call each other in a cycle: {string.Join(" -> ", stack.Items.Reverse().Append(name))}");
        return _agents.GetOrAdd(name, n => new Lazy<ChatClientAgent>(() => Build(n))).Value;
    }

    /// <summary>The kernel tools of <paramref name="name"/> as one customer's conversation sees them.</summary>
    public IReadOnlyList<AITool> KernelToolsFor(string name, string? customerId)
    {
        Get(name);
        return _kernelTools.TryGetValue(name, out var p) ? p.ToolsFor(customerId) : [];
    }

    /// <summary>Builds every agent, so configuration errors surface at once.</summary>
    public void ValidateAll()
    {
        foreach (var name in Names) Get(name);
    }

    private ChatClientAgent Build(string name)
    {
        var definition = GetDefinition(name);
        var previous = _building.Value ?? ImmutableStack.Empty;
        _building.Value = previous.Push(name);
        try
        {
            var chatOptions = new ChatOptions
            {
                Instructions = Instructions(name, definition),
                Temperature = definition.Temperature,
                TopP = definition.TopP,
                TopK = definition.TopK,
                MaxOutputTokens = definition.MaxTokens,
                Seed = definition.Seed,
                ToolMode = definition.ToolChoice?.ToLowerInvariant() switch
                {
                    "required" => ChatToolMode.RequireAny,
                    "none" => ChatToolMode.None,
                    _ => null,
                },
                ResponseFormat = ResponseFormat(name, definition),
            };

            var staticTools = new List<AITool>();
            for (var i = 0; i < definition.Agents.Count; i++)
            {
                var other = definition.Agents[i];
                if (!Contains(other)) throw new AgentConfigurationException($"Agents:{name}:Agents[{i}]", $"there is no agent '{other}'; declared: {string.Join(", ", Names)}");
                staticTools.Add(Get(other).AsAIFunction());
            }
            if (staticTools.Count > 0) chatOptions.Tools = staticTools;

            var providers = new List<AIContextProvider>();
            if (definition.Tools.Count > 0)
            {
                var kernel = _services.GetRequiredService<Kernel>();
                var selection = KernelToolSelection.Resolve(name, definition.Tools, definition.ApprovalRequired, kernel);
                var provider = new KernelToolsContextProvider(kernel, selection, _services.GetRequiredService<SqliteChatHistoryProvider>());
                _kernelTools[name] = provider;
                providers.Add(provider);
            }
            else if (definition.ApprovalRequired.Count > 0)
            {
                throw new AgentConfigurationException($"Agents:{name}:ApprovalRequired[0]", $"'{definition.ApprovalRequired[0]}' is not one of this agent's tools (it has none)");
            }
            if (definition.McpServers.Count > 0)
            {
                var sources = _services.GetServices<IAgentToolSource>().ToList();
                var servers = new List<(string, IAgentToolSource)>();
                for (var i = 0; i < definition.McpServers.Count; i++)
                {
                    var server = definition.McpServers[i];
                    var source = sources.FirstOrDefault(s => s.Knows(server))
                        ?? throw new AgentConfigurationException($"Agents:{name}:McpServers[{i}]", $"no tool source knows the MCP server '{server}' (is the MCP integration registered?)");
                    servers.Add((server, source));
                }
                providers.Add(new McpToolsContextProvider(servers));
            }

            var options = new ChatClientAgentOptions
            {
                Id = name,
                Name = name,
                Description = definition.Description,
                ChatOptions = chatOptions,
                ChatHistoryProvider = _services.GetRequiredService<SqliteChatHistoryProvider>(),
                AIContextProviders = providers,
                // Each model call's messages are stored as it completes, not only at the end of the run.
                RequirePerServiceCallChatHistoryPersistence = true,
            };
            var client = _services.GetRequiredKeyedService<IChatClient>(ChatClientKey);
            return new ChatClientAgent(client, options, _services.GetService<ILoggerFactory>(), _services);
        }
        finally
        {
            _building.Value = previous;
        }
    }

    private string? Instructions(string name, AgentDefinition definition)
    {
        if (!string.IsNullOrWhiteSpace(definition.Instructions)) return definition.Instructions.Trim();
        if (string.IsNullOrWhiteSpace(definition.InstructionsFile)) return null;
        var path = PromptsPath(definition.InstructionsFile);
        return File.Exists(path) ? File.ReadAllText(path).Trim()
            : throw new AgentConfigurationException($"Agents:{name}:InstructionsFile", $"file not found: {path}");
    }

    private ChatResponseFormat? ResponseFormat(string name, AgentDefinition definition)
    {
        var schemaText = definition.ResponseSchema;
        if (string.IsNullOrWhiteSpace(schemaText) && !string.IsNullOrWhiteSpace(definition.ResponseSchemaFile))
        {
            var path = PromptsPath(definition.ResponseSchemaFile);
            schemaText = File.Exists(path) ? File.ReadAllText(path)
                : throw new AgentConfigurationException($"Agents:{name}:ResponseSchemaFile", $"file not found: {path}");
        }
        var kind = definition.ResponseFormat?.ToLowerInvariant() ?? (string.IsNullOrWhiteSpace(schemaText) ? "text" : "json_schema");
        switch (kind)
        {
            case "text":
                return null;
            case "json":
                return ChatResponseFormat.Json;
            default:
                if (string.IsNullOrWhiteSpace(schemaText))
                    throw new AgentConfigurationException($"Agents:{name}:ResponseSchema", "ResponseFormat json_schema needs ResponseSchema or ResponseSchemaFile");
                JsonElement schema;
                try
                {
                    schema = JsonDocument.Parse(schemaText).RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    throw new AgentConfigurationException($"Agents:{name}:ResponseSchema", $"not valid JSON: {ex.Message}");
                }
                return ChatResponseFormat.ForJsonSchema(schema, definition.ResponseSchemaName ?? $"{name}_reply");
        }
    }

    private string PromptsPath(string relative)
    {
        var root = _services.GetService<IOptions<AgentHostPluginOptions>>()?.Value.PromptsDirectory ?? PromptLibrary.DefaultDirectory;
        return Path.GetFullPath(Path.Combine(root, relative));
    }

    /// <summary>The agents being built on this call path (to report cycles between agents-as-tools).</summary>
    private sealed class ImmutableStack(IReadOnlyList<string> items)
    {
        public static readonly ImmutableStack Empty = new([]);
        public IReadOnlyList<string> Items { get; } = items;
        public bool Contains(string name) => Items.Contains(name, StringComparer.OrdinalIgnoreCase);
        public ImmutableStack Push(string name) => new([.. Items, name]);
    }
}
