using AgentHost.Agents.Catalog;
using AgentHost.Agents.Sessions;
using AgentHost.Server.Errors;
using AgentHost.Server.Hosting;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Server.Responses;

/// <summary>What a request's <c>model</c> runs: an AgentHost agent, or the raw model as an agent without tools of its own.</summary>
internal sealed record ResolvedAgent(AIAgent Agent, string StoredName, string Model, bool IsRaw);

/// <summary>
/// Resolves <c>model</c>: <c>agent:NAME</c> is the catalog's <see cref="ChatClientAgent"/> (its tools run
/// server-side); any other name is the served model through the server's raw chat client, wrapped in a
/// <see cref="ChatClientAgent"/> with no instructions and no tools of its own, so that raw-model conversations are
/// agent sessions in the same SQLite store (client function tools come back to the client as function calls).
/// </summary>
internal sealed class ResponsesAgents
{
    public const string AgentPrefix = "agent:";

    /// <summary>The session owner recorded for raw-model sessions (not a valid agent name, so never one of theirs).</summary>
    public const string RawModelOwner = "@model";

    private readonly AgentCatalog _catalog;
    private readonly ModelNames _names;
    private readonly Lazy<ChatClientAgent> _raw;

    public ResponsesAgents(IServiceProvider services, AgentCatalog catalog, ModelNames names)
    {
        _catalog = catalog;
        _names = names;
        _raw = new Lazy<ChatClientAgent>(() => new ChatClientAgent(
            services.GetRequiredKeyedService<IChatClient>(ServerServiceCollectionExtensions.ChatClientServiceKey),
            new ChatClientAgentOptions
            {
                Id = RawModelOwner,
                Name = RawModelOwner,
                ChatHistoryProvider = services.GetRequiredService<SqliteChatHistoryProvider>(),
                RequirePerServiceCallChatHistoryPersistence = true,
            },
            services.GetService<ILoggerFactory>(), services));
    }

    public ResolvedAgent Resolve(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
            throw OpenAiRequestException.BadRequest("Missing required parameter: 'model' (an agent as 'agent:NAME', or the model's name).", "model", "missing_required_parameter");
        if (model.StartsWith(AgentPrefix, StringComparison.Ordinal))
        {
            var name = model[AgentPrefix.Length..];
            if (!_catalog.Contains(name))
                throw OpenAiRequestException.NotFound($"The model '{model}' does not exist: there is no agent '{name}'. Agents: {string.Join(", ", _catalog.Names.Select(n => AgentPrefix + n))}.", "model", "model_not_found");
            return new ResolvedAgent(_catalog.Get(name), _catalog.Get(name).Name ?? name, AgentPrefix + name, false);
        }
        return new ResolvedAgent(_raw.Value, RawModelOwner, _names.Resolve(model), true);
    }

    /// <summary>The <c>model</c> a stored session's owner answers to.</summary>
    public string ModelOf(string owner) => owner == RawModelOwner ? _names.ServedId : AgentPrefix + owner;
}
