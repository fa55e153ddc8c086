using System.Text.Json;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Limits;
using AgentHost.Server.Mapping;
using AgentHost.Server.Metrics;
using AgentHost.Server.Protocol;
using AgentHost.Server.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// Anthropic's POST /v1/messages through the same <see cref="IChatClient"/> as /v1/chat/completions (same engine,
/// slots and prompt cache; the client runs its own tools). As there, a stream starts only with the first update, so
/// a full queue or a prompt over the context is still an HTTP error; later failures are an <c>error</c> event.
/// </summary>
internal static class AnthropicMessagesEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var engine = services.GetRequiredService<LlamaEngine>();
        var client = services.GetRequiredKeyedService<IChatClient>(ServerServiceCollectionExtensions.ChatClientServiceKey);
        var metrics = services.GetRequiredService<ServerMetrics>();
        var aborted = context.RequestAborted;

        var body = await JsonRequestBodyReader.ReadAsync<AnthropicMessagesRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        var request = AnthropicRequestMapper.Map(body, engine.ModelId, options.MaxTokensLimit ?? engine.ContextSize);

        using var busy = metrics.BeginGeneration();
        if (!request.Stream)
        {
            var response = await client.GetResponseAsync(request.Messages, request.Options, aborted).ConfigureAwait(false);
            ClusterChatCompletions.NameNode(context.Response, response.AdditionalProperties);
            var message = AnthropicResponseMapper.ToMessage(response, engine.ModelId);
            Record(metrics, message.Usage);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(message, OpenAiJson.Options), aborted).ConfigureAwait(false);
            return;
        }
        await StreamAsync(context, client, request, engine.ModelId, metrics, options.BusyRetryAfterSeconds).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, IChatClient client, MappedChatRequest request, string modelId, ServerMetrics metrics, int retryAfterSeconds)
    {
        var aborted = context.RequestAborted;
        // message_start carries the input tokens, before any are evaluated: counted the way generation will count them.
        var inputTokens = client.GetService<LlamaChatClient>()?.CountPromptTokens(request.Messages, request.Options) ?? 0;
        await using var updates = client.GetStreamingResponseAsync(request.Messages, request.Options, aborted).GetAsyncEnumerator(aborted);
        var hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
        if (hasUpdate) ClusterChatCompletions.NameNode(context.Response, updates.Current.AdditionalProperties);

        var events = new AnthropicStreamMapper(AnthropicResponseMapper.NewId(hasUpdate ? updates.Current.ResponseId : null), (hasUpdate ? updates.Current.ModelId : null) ?? modelId, inputTokens);
        var sse = new ServerSentEventsWriter(context.Response);
        await sse.StartAsync(aborted).ConfigureAwait(false);
        await WriteAsync(sse, events.Start(), aborted).ConfigureAwait(false);
        try
        {
            while (hasUpdate)
            {
                foreach (var e in events.Map(updates.Current)) await WriteAsync(sse, e, aborted).ConfigureAwait(false);
                hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            var error = ExceptionMapping.ToOpenAiError(ex, retryAfterSeconds);
            if (error.StatusCode >= 500)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentHost.Server").LogError(ex, "Streaming message failed");
            await WriteAsync(sse, new AnthropicStreamEvent { Type = "error", Error = AnthropicErrorResponses.ToDetail(error) }, aborted).ConfigureAwait(false);
            return;
        }
        foreach (var e in events.Complete()) await WriteAsync(sse, e, aborted).ConfigureAwait(false);
        Record(metrics, events.Usage);
    }

    private static Task WriteAsync(ServerSentEventsWriter sse, AnthropicStreamEvent e, CancellationToken cancellationToken) =>
        sse.WriteEventAsync(e.Type, e, cancellationToken);

    private static void Record(ServerMetrics metrics, AnthropicUsage usage) =>
        metrics.RecordTokens((usage.InputTokens ?? 0) - (usage.CacheReadInputTokens ?? 0), usage.OutputTokens);
}
