using System.Text.Json;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Hosting;
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
/// POST /v1/chat/completions through the server's <see cref="IChatClient"/> (no function invocation: the client runs
/// its own tools). A streamed response starts only when the first update arrives, so a full queue, a prompt over
/// the context or a bad template is still an HTTP error status, not an error event. With an X-Conversation-Id header
/// on a cluster node the turn goes to its conversation grain instead (<see cref="ClusterChatCompletions"/>).
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var engine = services.GetRequiredService<LlamaEngine>();
        var client = services.GetRequiredKeyedService<IChatClient>(ServerServiceCollectionExtensions.ChatClientServiceKey);
        var metrics = services.GetRequiredService<ServerMetrics>();
        var names = services.GetRequiredService<ModelNames>();
        var aborted = context.RequestAborted;

        var body = await JsonRequestBodyReader.ReadAsync<ChatCompletionRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        var limit = options.MaxTokensLimit ?? engine.ContextSize;
        var request = ChatRequestMapper.Map(body, names.Resolve(body.Model), limit, engine.Options.Defaults.MaxTokens);

        using var busy = metrics.BeginGeneration();
        if (context.Request.Headers.TryGetValue(ClusterChatCompletions.ConversationHeader, out var conversation))
        {
            // A turn of a stored conversation: it runs where the conversation's KV cache is, maybe another node.
            await ClusterChatCompletions.HandleAsync(context, conversation.ToString(), request, metrics, options.BusyRetryAfterSeconds, engine.ModelId, names.SystemFingerprint).ConfigureAwait(false);
            return;
        }
        if (!request.Stream)
        {
            var response = await client.GetResponseAsync(request.Messages, request.Options, aborted).ConfigureAwait(false);
            ClusterChatCompletions.NameNode(context.Response, response.AdditionalProperties);
            var completion = ChatResponseMapper.ToCompletion(response, engine.ModelId, names.SystemFingerprint);
            Record(metrics, completion.Usage);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(completion, OpenAiJson.Options), aborted).ConfigureAwait(false);
            return;
        }
        await StreamAsync(context, client, request, engine.ModelId, metrics, options.BusyRetryAfterSeconds, names.SystemFingerprint).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, IChatClient client, MappedChatRequest request, string modelId, ServerMetrics metrics, int retryAfterSeconds, string? systemFingerprint = null)
    {
        var aborted = context.RequestAborted;
        await using var updates = client.GetStreamingResponseAsync(request.Messages, request.Options, aborted).GetAsyncEnumerator(aborted);
        // Errors up to the first update (busy, too long, bad request) surface here and become HTTP statuses.
        var hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);

        var first = hasUpdate ? updates.Current : null;
        ClusterChatCompletions.NameNode(context.Response, first?.AdditionalProperties);
        var chunks = new ChatChunkMapper(first?.ResponseId ?? ChatResponseMapper.NewId(), (first?.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), first?.ModelId ?? modelId, systemFingerprint);
        var sse = new ServerSentEventsWriter(context.Response);
        await sse.StartAsync(aborted).ConfigureAwait(false);
        try
        {
            while (hasUpdate)
            {
                foreach (var chunk in chunks.Map(updates.Current)) await sse.WriteAsync(chunk, aborted).ConfigureAwait(false);
                hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            // The status line is sent; the failure goes to the client as an error event and the stream ends
            // without [DONE], as OpenAI's does.
            var error = ExceptionMapping.ToOpenAiError(ex, retryAfterSeconds);
            if (error.StatusCode >= 500)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentHost.Server").LogError(ex, "Streaming chat completion failed");
            await sse.WriteErrorAsync(new OpenAiErrorDetail(error.Message, error.Type, error.Param, error.Code), aborted).ConfigureAwait(false);
            return;
        }
        foreach (var chunk in chunks.Complete()) await sse.WriteAsync(chunk, aborted).ConfigureAwait(false);
        Record(metrics, chunks.Usage);
        if (request.IncludeUsage) await sse.WriteAsync(chunks.UsageChunk(), aborted).ConfigureAwait(false);
        await sse.WriteDoneAsync(aborted).ConfigureAwait(false);
    }

    private static void Record(ServerMetrics metrics, UsageDto? usage)
    {
        if (usage is null) return;
        metrics.RecordTokens(usage.PromptTokens - (usage.PromptTokensDetails?.CachedTokens ?? 0), usage.CompletionTokens);
    }
}
