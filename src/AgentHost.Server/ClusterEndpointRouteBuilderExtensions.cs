using AgentHost.Server.Endpoints;
using AgentHost.Server.Errors;
using AgentHost.Server.Metrics;
using AgentHost.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentHost.Server;

/// <summary>Maps a cluster node's own endpoints (the node is an Orleans silo: <c>AddAgentHostCluster</c>).</summary>
public static class ClusterEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps GET /v1/cluster/nodes (members, load and cache counters of every node) and GET
    /// /v1/cluster/conversations/{id} (a conversation's stored history), behind the optional API key. Chat turns
    /// with X-Conversation-Id go through POST /v1/chat/completions (<see cref="OpenAiEndpointRouteBuilderExtensions.MapAgentHostOpenAi"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapAgentHostCluster(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/v1/cluster/nodes", Protected("cluster", ClusterEndpoints.NodesAsync));
        endpoints.MapGet("/v1/cluster/conversations/{id}", Protected("cluster", ClusterEndpoints.ConversationAsync));
        return endpoints;
    }

    private static RequestDelegate Protected(string name, RequestDelegate handler) =>
        RequestMetrics.Track(name, OpenAiErrorResponses.Wrap(ApiKeyAuthorization.Protect(handler)));
}
