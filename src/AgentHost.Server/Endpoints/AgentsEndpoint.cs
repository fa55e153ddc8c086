using System.Text.Json;
using AgentHost.Agents.Catalog;
using AgentHost.Server.Protocol;
using AgentHost.Server.Responses;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// GET /v1/agents: the declared agents (built-in and Agents:NAME), as a client picks one for /v1/responses. Read from
/// their declarations, so listing builds no agent and runs nothing.
/// </summary>
internal static class AgentsEndpoint
{
    public static Task ListAsync(HttpContext context)
    {
        var catalog = context.RequestServices.GetRequiredService<AgentCatalog>();
        var agents = catalog.Names.Select(name =>
        {
            var definition = catalog.GetDefinition(name);
            return new AgentDto
            {
                Id = ResponsesAgents.AgentPrefix + name,
                Name = name,
                Description = definition.Description,
                Tools = definition.Tools,
                Agents = definition.Agents,
                ApprovalRequired = definition.ApprovalRequired,
            };
        }).ToList();
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new AgentListResponse { Data = agents }, OpenAiJson.Options), context.RequestAborted);
    }
}
