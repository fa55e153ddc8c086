using AgentHost.Server.Endpoints;
using AgentHost.Server.Errors;
using AgentHost.Server.Metrics;
using AgentHost.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentHost.Server;

/// <summary>Maps Anthropic's Messages API over the same model and services as the OpenAI endpoints (<see cref="ServerServiceCollectionExtensions.AddAgentHostServer"/>).</summary>
public static class AnthropicEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps POST /v1/messages and POST /v1/messages/count_tokens behind the optional API key (x-api-key or Bearer);
    /// every error is an Anthropic error body (<c>{"type":"error","error":{"type","message"}}</c>) with its status.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentHostAnthropic(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1/messages", Protected("messages", AnthropicMessagesEndpoint.HandleAsync));
        endpoints.MapPost("/v1/messages/count_tokens", Protected("count_tokens", AnthropicCountTokensEndpoint.HandleAsync));
        return endpoints;
    }

    private static RequestDelegate Protected(string name, RequestDelegate handler) =>
        RequestMetrics.Track(name, AnthropicErrorResponses.Wrap(ApiKeyAuthorization.Protect(handler)));
}
