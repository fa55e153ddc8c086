using System.Globalization;
using System.Text.Json;
using AgentHost.Cluster.Grains;
using AgentHost.Cluster.Routing;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Mapping;
using AgentHost.Server.Metrics;
using AgentHost.Server.Protocol;
using AgentHost.Server.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// POST /v1/chat/completions with an <c>X-Conversation-Id</c> header on a cluster node (<c>agenthost serve --cluster</c>):
/// the request's messages are the turn's new messages, appended to the conversation's stored history by its grain,
/// which runs the turn on the node whose KV cache holds that history; the reply (streamed or whole) comes back
/// through this node. <c>X-Conversation-Turn</c> (optional) is the number of turns the client has seen stored: a
/// retry with the same number after a lost reply is answered from the store, never stored twice.
/// The response says where it ran: <c>X-AgentHost-Node</c>, <c>X-Conversation-Turn</c> (this turn's index) and
/// <c>X-Conversation-Replayed: true</c> for a reply from the store.
/// </summary>
internal static class ClusterChatCompletions
{
    public const string ConversationHeader = "X-Conversation-Id";
    public const string TurnHeader = "X-Conversation-Turn";
    public const string NodeHeader = "X-AgentHost-Node";
    public const string ReplayedHeader = "X-Conversation-Replayed";

    /// <summary>On a cluster node, names the node whose model answered (a request without conversation id runs where its prefix is cached).</summary>
    public static void NameNode(HttpResponse response, AdditionalPropertiesDictionary? properties)
    {
        if (properties?.TryGetValue(ForwardedChatJson.NodeProperty, out var node) == true && node is string name && !response.HasStarted)
            response.Headers[NodeHeader] = name;
    }

    public static async Task HandleAsync(HttpContext context, string conversationId, MappedChatRequest request, ServerMetrics metrics, int retryAfterSeconds, string modelId, string? systemFingerprint)
    {
        var router = context.RequestServices.GetService<ConversationRouter>()
            ?? throw OpenAiRequestException.BadRequest($"The {ConversationHeader} header needs a cluster node (agenthost serve --cluster); this server is a single node.", ConversationHeader, "cluster_disabled");
        var turn = new TurnRequest { Messages = Messages(request), Settings = Settings(request), Turn = TurnIndex(context) };
        IAsyncEnumerable<TurnChunk> chunks;
        try
        {
            chunks = router.SendAsync(conversationId, turn, cancellationToken: context.RequestAborted);
        }
        catch (ArgumentException bad)
        {
            throw OpenAiRequestException.BadRequest($"{ConversationHeader}: {bad.Message.Split(" (Parameter", 2)[0]}", ConversationHeader, "invalid_value");
        }

        var aborted = context.RequestAborted;
        await using var e = chunks.GetAsyncEnumerator(aborted);
        TurnChunk first;
        try
        {
            // Errors before the first chunk (node lost, turn out of order, busy) are still an HTTP status.
            if (!await e.MoveNextAsync().ConfigureAwait(false))
                throw new OpenAiRequestException(StatusCodes.Status502BadGateway, $"Conversation '{conversationId}': the node ended the turn without a reply.", OpenAiRequestException.ServerError, null, "node_unavailable");
            first = e.Current;
        }
        catch (Exception ex) when (ToError(ex, retryAfterSeconds) is { } error)
        {
            throw error;
        }
        context.Response.Headers[NodeHeader] = first.Node;
        context.Response.Headers[TurnHeader] = first.Turn.ToString(CultureInfo.InvariantCulture);
        if (first.Replayed) context.Response.Headers[ReplayedHeader] = "true";

        var id = ChatResponseMapper.NewId();
        var created = DateTimeOffset.UtcNow;
        if (!request.Stream)
        {
            var updates = new List<ChatResponseUpdate> { ToUpdate(first, id, created, modelId) };
            try
            {
                while (await e.MoveNextAsync().ConfigureAwait(false)) updates.Add(ToUpdate(e.Current, id, created, modelId));
            }
            catch (Exception ex) when (ToError(ex, retryAfterSeconds) is { } error)
            {
                throw error;
            }
            var completion = ChatResponseMapper.ToCompletion(updates.ToChatResponse(), modelId, systemFingerprint);
            Record(metrics, completion.Usage);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(completion, OpenAiJson.Options), aborted).ConfigureAwait(false);
            return;
        }

        var mapper = new ChatChunkMapper(id, created.ToUnixTimeSeconds(), modelId, systemFingerprint);
        var sse = new ServerSentEventsWriter(context.Response);
        await sse.StartAsync(aborted).ConfigureAwait(false);
        try
        {
            var chunk = first;
            while (true)
            {
                foreach (var c in mapper.Map(ToUpdate(chunk, id, created, modelId))) await sse.WriteAsync(c, aborted).ConfigureAwait(false);
                if (!await e.MoveNextAsync().ConfigureAwait(false)) break;
                chunk = e.Current;
            }
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            // The node answering the turn died mid-reply (or the turn failed there): an error event, no [DONE];
            // the turn was not stored, so the client retries it with the same X-Conversation-Turn.
            var error = ToError(ex, retryAfterSeconds) ?? ExceptionMapping.ToOpenAiError(ex, retryAfterSeconds);
            if (error.StatusCode >= 500)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentHost.Server").LogWarning(ex, "Cluster turn of conversation {Conversation} failed", conversationId);
            await sse.WriteErrorAsync(new OpenAiErrorDetail(error.Message, error.Type, error.Param, error.Code), aborted).ConfigureAwait(false);
            return;
        }
        foreach (var c in mapper.Complete()) await sse.WriteAsync(c, aborted).ConfigureAwait(false);
        Record(metrics, mapper.Usage);
        if (request.IncludeUsage) await sse.WriteAsync(mapper.UsageChunk(), aborted).ConfigureAwait(false);
        await sse.WriteDoneAsync(aborted).ConfigureAwait(false);
    }

    /// <summary>Only text turns: the grain stores role and text, and runs the turn with max_tokens, temperature and seed.</summary>
    private static List<ConversationMessage> Messages(MappedChatRequest request)
    {
        if (request.Options.Tools is { Count: > 0 })
            throw OpenAiRequestException.BadRequest($"'tools' is not supported with {ConversationHeader} (the stored conversation holds text turns).", "tools", "unsupported_parameter");
        if (request.Options.StopSequences is { Count: > 0 })
            throw OpenAiRequestException.BadRequest($"'stop' is not supported with {ConversationHeader}.", "stop", "unsupported_parameter");
        if (request.Options.ResponseFormat is not null and not ChatResponseFormatText)
            throw OpenAiRequestException.BadRequest($"'response_format' is not supported with {ConversationHeader}.", "response_format", "unsupported_parameter");
        var messages = new List<ConversationMessage>(request.Messages.Count);
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var m = request.Messages[i];
            if (m.Contents.Any(c => c is not TextContent))
                throw OpenAiRequestException.BadRequest($"messages[{i}]: only text content is supported with {ConversationHeader}.", $"messages[{i}].content", "unsupported_parameter");
            messages.Add(new ConversationMessage(m.Role.Value, m.Text));
        }
        return messages;
    }

    private static TurnSettings Settings(MappedChatRequest request) => new()
    {
        MaxTokens = request.Options.MaxOutputTokens ?? new TurnSettings().MaxTokens,
        // Unset: the answering node's default temperature.
        Temperature = request.Options.Temperature,
        Seed = (int?)request.Options.Seed,
    };

    private static int? TurnIndex(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(TurnHeader, out var value)) return null;
        return int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var turn)
            ? turn
            : throw OpenAiRequestException.BadRequest($"{TurnHeader} must be a whole number of turns (0 or more), got '{value}'.", TurnHeader, "invalid_value");
    }

    private static ChatResponseUpdate ToUpdate(TurnChunk chunk, string id, DateTimeOffset created, string modelId)
    {
        var update = new ChatResponseUpdate(ChatRole.Assistant, chunk.Text) { ResponseId = id, CreatedAt = created, ModelId = modelId };
        if (!chunk.Final) return update;
        update.FinishReason = chunk.FinishReason is { } reason ? new ChatFinishReason(reason) : ChatFinishReason.Stop;
        if (!chunk.Replayed)
            update.Contents.Add(new UsageContent(new UsageDetails
            {
                InputTokenCount = chunk.PromptTokens,
                OutputTokenCount = chunk.CompletionTokens,
                TotalTokenCount = chunk.PromptTokens + chunk.CompletionTokens,
                CachedInputTokenCount = chunk.CachedPromptTokens,
            }));
        return update;
    }

    /// <summary>What the cluster's own failures mean to the client: a lost node is a 503 to retry, a turn out of order a 409.</summary>
    private static OpenAiRequestException? ToError(Exception ex, int retryAfterSeconds) => ex switch
    {
        OpenAiRequestException => null,
        ConversationTurnException e => new OpenAiRequestException(StatusCodes.Status409Conflict, e.Message, OpenAiRequestException.InvalidRequest, TurnHeader, "turn_conflict"),
        OrleansException or TimeoutException => new OpenAiRequestException(StatusCodes.Status503ServiceUnavailable,
            $"The node holding this conversation is unavailable ({ex.GetType().Name}: {ex.Message}); retry the turn with the same {TurnHeader}.", OpenAiRequestException.ServerError, null, "node_unavailable")
        {
            RetryAfterSeconds = retryAfterSeconds,
        },
        _ => null,
    };

    private static void Record(ServerMetrics metrics, UsageDto? usage)
    {
        if (usage is null) return;
        metrics.RecordTokens(usage.PromptTokens - (usage.PromptTokensDetails?.CachedTokens ?? 0), usage.CompletionTokens);
    }
}
