using System.Text.Json;
using AgentHost.Cluster.Nodes;
using AgentHost.Cluster.Routing;
using AgentHost.Server.Errors;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace AgentHost.Server.Endpoints;

/// <summary>What a cluster node tells about the cluster: the live nodes with their load and cache counters, and a conversation's stored history.</summary>
internal static class ClusterEndpoints
{
    /// <summary>GET /v1/cluster/nodes: this node's name, the active members, and the latest summary of each node.</summary>
    public static async Task NodesAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var local = services.GetRequiredService<LocalNode>();
        var members = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var nodes = services.GetRequiredService<ClusterView>().Summaries.OrderBy(s => s.Node, StringComparer.Ordinal).Select(s => new
        {
            node = s.Node,
            slots = s.SlotCount,
            busy_slots = s.BusySlots,
            queue_length = s.QueueLength,
            active_conversations = s.ActiveConversations,
            turns_in_flight = s.TurnsInFlight,
            prompt_tokens_evaluated = s.PromptTokensEvaluated,
            prompt_tokens_from_cache = s.PromptTokensFromCache,
            published_at = s.PublishedAt,
        });
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { node = local.Name, members, nodes }, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>GET /v1/cluster/conversations/{id}: the stored messages of a conversation (from the shared store, through its grain).</summary>
    public static async Task ConversationAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"]?.ToString() ?? "";
        var router = context.RequestServices.GetRequiredService<ConversationRouter>();
        AgentHost.Cluster.Grains.IConversationGrain grain;
        try
        {
            grain = router.Conversation(id);
        }
        catch (ArgumentException e)
        {
            throw OpenAiRequestException.BadRequest(e.Message.Split(" (Parameter", 2)[0], "id", "invalid_value");
        }
        var history = await grain.GetHistoryAsync().ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            id,
            messages = history.Select(m => new { role = m.Role, content = m.Content }),
        }, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }
}
