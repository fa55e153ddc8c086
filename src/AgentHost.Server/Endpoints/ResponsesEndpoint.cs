using System.Text.Json;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Limits;
using AgentHost.Server.Metrics;
using AgentHost.Server.Protocol;
using AgentHost.Server.Responses;
using AgentHost.Server.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// POST /v1/responses (streamed as typed events or not), GET and DELETE /v1/responses/{id}, GET
/// /v1/responses/{id}/input_items. A streamed response starts only when the run's first update arrives, so a full
/// queue or a prompt over the context is still an HTTP error status; a failure after that is a response.failed event.
/// </summary>
internal static class ResponsesEndpoint
{
    public static async Task CreateAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var engine = services.GetRequiredService<LlamaEngine>();
        var metrics = services.GetRequiredService<ServerMetrics>();
        var responses = services.GetRequiredService<ResponsesService>();
        var aborted = context.RequestAborted;

        var body = await JsonRequestBodyReader.ReadAsync<CreateResponseRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        var customer = ResponsesService.Customer(body, context.Request);
        var limit = options.MaxTokensLimit ?? engine.ContextSize;
        var turn = await responses.PrepareAsync(body, customer, limit, engine.Options.Defaults.MaxTokens, aborted).ConfigureAwait(false);
        var finished = false;
        try
        {
            using var busy = metrics.BeginGeneration();
            await using var updates = turn.Agent.Agent.RunStreamingAsync(turn.Messages, turn.Session, turn.RunOptions, aborted).GetAsyncEnumerator(aborted);
            // Errors up to the first update (busy, too long, bad request) surface here and become HTTP statuses.
            var hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
            var output = turn.Output;
            var hitLimit = false;
            if (body.Stream != true)
            {
                while (hasUpdate)
                {
                    hitLimit |= updates.Current.FinishReason == ChatFinishReason.Length;
                    output.Map(updates.Current);
                    hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                output.Complete(hitLimit);
                Record(metrics, output.Response.Usage);
                await responses.FinishAsync(turn, aborted).ConfigureAwait(false);
                finished = true;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(output.Response, OpenAiJson.Options), aborted).ConfigureAwait(false);
                return;
            }

            var sse = new ServerSentEventsWriter(context.Response);
            await sse.StartAsync(aborted).ConfigureAwait(false);
            await WriteAsync(sse, output.Start(), aborted).ConfigureAwait(false);
            try
            {
                while (hasUpdate)
                {
                    hitLimit |= updates.Current.FinishReason == ChatFinishReason.Length;
                    await WriteAsync(sse, output.Map(updates.Current), aborted).ConfigureAwait(false);
                    hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!aborted.IsCancellationRequested)
            {
                var error = ExceptionMapping.ToOpenAiError(ex, options.BusyRetryAfterSeconds);
                if (error.StatusCode >= 500)
                    services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentHost.Server").LogError(ex, "Streaming response failed");
                var failed = output.Fail(error.Code ?? error.Type, error.Message);
                await responses.FinishAsync(turn, aborted).ConfigureAwait(false);
                finished = true;
                await WriteAsync(sse, failed, aborted).ConfigureAwait(false);
                return;
            }
            var completed = output.Complete(hitLimit);
            Record(metrics, output.Response.Usage);
            // Stored before the last event, so a client that reads response.completed can chain on it at once.
            await responses.FinishAsync(turn, aborted).ConfigureAwait(false);
            finished = true;
            await WriteAsync(sse, completed, aborted).ConfigureAwait(false);
        }
        finally
        {
            if (!finished) await responses.AbandonAsync(turn).ConfigureAwait(false);
        }
    }

    public static async Task GetAsync(HttpContext context)
    {
        var responses = context.RequestServices.GetRequiredService<ResponsesService>();
        var response = await responses.GetResponseAsync(RouteId(context), ResponsesService.Customer(null, context.Request), context.RequestAborted).ConfigureAwait(false);
        await WriteJsonAsync(context, response).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(HttpContext context)
    {
        var id = RouteId(context);
        var responses = context.RequestServices.GetRequiredService<ResponsesService>();
        await responses.DeleteResponseAsync(id, ResponsesService.Customer(null, context.Request), context.RequestAborted).ConfigureAwait(false);
        await WriteJsonAsync(context, new DeletedDto(id, "response", true)).ConfigureAwait(false);
    }

    public static async Task InputItemsAsync(HttpContext context)
    {
        var responses = context.RequestServices.GetRequiredService<ResponsesService>();
        var items = await responses.InputItemsAsync(RouteId(context), ResponsesService.Customer(null, context.Request), context.RequestAborted).ConfigureAwait(false);
        await WriteJsonAsync(context, new ItemListDto<ResponseItem> { Data = items, FirstId = items.FirstOrDefault()?.Id, LastId = items.LastOrDefault()?.Id }).ConfigureAwait(false);
    }

    internal static string RouteId(HttpContext context) => context.Request.RouteValues["id"] as string ?? "";

    internal static async Task WriteJsonAsync<T>(HttpContext context, T value)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(value, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteAsync(ServerSentEventsWriter sse, IReadOnlyList<ResponseStreamEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events) await sse.WriteEventAsync<object>(e.Type, e, cancellationToken).ConfigureAwait(false);
    }

    private static void Record(ServerMetrics metrics, ResponseUsageDto? usage)
    {
        if (usage is null) return;
        metrics.RecordTokens(usage.InputTokens - usage.InputTokensDetails.CachedTokens, usage.OutputTokens);
    }
}
