using AgentHost.Server.Limits;
using AgentHost.Server.Protocol;
using AgentHost.Server.Responses;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// The Conversations API: POST /v1/conversations, GET and DELETE /v1/conversations/{id}, GET
/// /v1/conversations/{id}/items (the agent session's stored messages as items), and AgentHost's
/// GET /v1/conversations listing them (id, agent, created_at, metadata, title: the first user text).
/// </summary>
internal static class ConversationsEndpoint
{
    public static async Task CreateAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        var responses = context.RequestServices.GetRequiredService<ResponsesService>();
        var body = context.Request.ContentLength == 0 ? new CreateConversationRequest()
            : await JsonRequestBodyReader.ReadAsync<CreateConversationRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        var customer = ResponsesService.Customer(new CreateResponseRequest { Metadata = body.Metadata }, context.Request);
        var conversation = await responses.CreateConversationAsync(body, customer, context.RequestAborted).ConfigureAwait(false);
        await ResponsesEndpoint.WriteJsonAsync(context, conversation).ConfigureAwait(false);
    }

    public static async Task GetAsync(HttpContext context)
    {
        var responses = context.RequestServices.GetRequiredService<ResponsesService>();
        var conversation = await responses.GetConversationAsync(ResponsesEndpoint.RouteId(context), ResponsesService.Customer(null, context.Request), context.RequestAborted).ConfigureAwait(false);
        await ResponsesEndpoint.WriteJsonAsync(context, conversation).ConfigureAwait(false);
    }

    public static async Task ListAsync(HttpContext context)
    {
        var responses = context.RequestServices.GetRequiredService<ResponsesService>();
        var list = await responses.ListConversationsAsync(ResponsesService.Customer(null, context.Request), context.RequestAborted).ConfigureAwait(false);
        await ResponsesEndpoint.WriteJsonAsync(context, new ItemListDto<ConversationObject> { Data = list, FirstId = list.FirstOrDefault()?.Id, LastId = list.LastOrDefault()?.Id }).ConfigureAwait(false);
    }

    public static async Task ItemsAsync(HttpContext context)
    {
        var responses = context.RequestServices.GetRequiredService<ResponsesService>();
        var items = await responses.ConversationItemsAsync(ResponsesEndpoint.RouteId(context), ResponsesService.Customer(null, context.Request), context.RequestAborted).ConfigureAwait(false);
        await ResponsesEndpoint.WriteJsonAsync(context, new ItemListDto<ResponseItem> { Data = items, FirstId = items.FirstOrDefault()?.Id, LastId = items.LastOrDefault()?.Id }).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(HttpContext context)
    {
        var id = ResponsesEndpoint.RouteId(context);
        var responses = context.RequestServices.GetRequiredService<ResponsesService>();
        await responses.DeleteConversationAsync(id, ResponsesService.Customer(null, context.Request), context.RequestAborted).ConfigureAwait(false);
        await ResponsesEndpoint.WriteJsonAsync(context, new DeletedDto(id, "conversation.deleted", true)).ConfigureAwait(false);
    }
}
