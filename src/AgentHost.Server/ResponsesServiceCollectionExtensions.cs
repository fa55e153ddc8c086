using AgentHost.Agents;
using AgentHost.Server.Responses;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentHost.Server;

/// <summary>Registers the OpenAI Responses and Conversations API; map it with <see cref="ResponsesEndpointRouteBuilderExtensions.MapAgentHostResponses"/>.</summary>
public static class ResponsesServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ResponsesOptions"/> ("Responses"), adds the AgentHost agents (AddAgentHostAgents: the catalog
    /// and their SQLite sessions, which hold the API's state) and the response store. Call after AddAgentHostServer
    /// and AddAgentHostKernel.
    /// </summary>
    public static IServiceCollection AddAgentHostResponses(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddAgentHostAgents(configuration);
        services.AddOptions<ResponsesOptions>()
            .Bind(configuration.GetSection(ResponsesOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<ResponsesStore>();
        services.TryAddSingleton<ResponsesAgents>();
        services.TryAddSingleton<ResponsesService>();
        return services;
    }
}
