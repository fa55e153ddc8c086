using AgentHost.Server.Endpoints;
using AgentHost.Server.Errors;
using AgentHost.Server.Metrics;
using AgentHost.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentHost.Server;

/// <summary>Maps the OpenAI Responses and Conversations API; the services come from <see cref="ResponsesServiceCollectionExtensions.AddAgentHostResponses"/>.</summary>
public static class ResponsesEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps POST /v1/responses, GET/DELETE /v1/responses/{id}, GET /v1/responses/{id}/input_items, POST and GET
    /// /v1/conversations, GET/DELETE /v1/conversations/{id}, GET /v1/conversations/{id}/items, GET /v1/agents (the
    /// agents a request can name as <c>agent:NAME</c>; AgentHost's own) (and the same without /v1), behind the optional API key, errors OpenAI-shaped.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentHostResponses(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var prefix in new[] { "/v1", "" })
        {
            endpoints.MapPost(prefix + "/responses", Protected("responses", ResponsesEndpoint.CreateAsync));
            endpoints.MapGet(prefix + "/responses/{id}", Protected("responses", ResponsesEndpoint.GetAsync));
            endpoints.MapDelete(prefix + "/responses/{id}", Protected("responses", ResponsesEndpoint.DeleteAsync));
            endpoints.MapGet(prefix + "/responses/{id}/input_items", Protected("responses", ResponsesEndpoint.InputItemsAsync));
            endpoints.MapPost(prefix + "/conversations", Protected("conversations", ConversationsEndpoint.CreateAsync));
            endpoints.MapGet(prefix + "/conversations", Protected("conversations", ConversationsEndpoint.ListAsync));
            endpoints.MapGet(prefix + "/conversations/{id}", Protected("conversations", ConversationsEndpoint.GetAsync));
            endpoints.MapDelete(prefix + "/conversations/{id}", Protected("conversations", ConversationsEndpoint.DeleteAsync));
            endpoints.MapGet(prefix + "/conversations/{id}/items", Protected("conversations", ConversationsEndpoint.ItemsAsync));
            endpoints.MapGet(prefix + "/agents", Protected("agents", AgentsEndpoint.ListAsync));
        }
        return endpoints;
    }

    private static RequestDelegate Protected(string name, RequestDelegate handler) =>
        RequestMetrics.Track(name, OpenAiErrorResponses.Wrap(ApiKeyAuthorization.Protect(handler)));
}
