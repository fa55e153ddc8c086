using System.Text.Json;
using AgentHost.Agents.Sessions;
using AgentHost.Plugins;
using AgentHost.Plugins.CustomerService;
using AgentHost.Server.Errors;
using AgentHost.Server.Mapping;
using AgentHost.Server.Protocol;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Responses;

/// <summary>One response being made: the agent, its session, what it is told and what is being built.</summary>
internal sealed class ResponseTurn
{
    public required ResolvedAgent Agent { get; init; }
    public required AgentSession Session { get; init; }
    public required string SessionId { get; init; }
    public required string Customer { get; init; }
    public string? ConversationId { get; init; }
    public required bool Store { get; init; }
    /// <summary>store:false: the run happens in a scratch session (a copy of the history it continues), deleted afterwards.</summary>
    public required bool Transient { get; init; }
    public required IReadOnlyList<ChatMessage> Messages { get; init; }
    public required AgentRunOptions RunOptions { get; init; }
    public required ResponsesOutputMapper Output { get; init; }
    public required IReadOnlyList<ResponseItem> InputItems { get; init; }
    public string? Title { get; init; }
}

/// <summary>
/// The state behind /v1/responses and /v1/conversations. A chain of responses (previous_response_id) or a
/// conversation is one agent session in SQLite (<see cref="SqliteAgentSessionStore"/>, messages by
/// <see cref="SqliteChatHistoryProvider"/>); <see cref="ResponsesStore"/> maps response ids to sessions. The
/// customer (safety_identifier, user, metadata.customer_id or the X-AgentHost-Customer header) is the session's
/// customer partition: another customer's responses and conversations read as not found, and the support agent's
/// tools see only that customer's records.
/// </summary>
internal sealed class ResponsesService(
    ResponsesAgents agents,
    ResponsesStore store,
    SqliteAgentSessionStore sessions,
    SqliteChatHistoryProvider history,
    IOptions<ResponsesOptions> options)
{
    public const string CustomerHeader = "X-AgentHost-Customer";
    public const string CustomerMetadataKey = "customer_id";

    public ResponsesOptions Options => options.Value;

    /// <summary>The customer a request acts for, validated (anonymous when none is named).</summary>
    public static string Customer(CreateResponseRequest? body, Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var (value, param) = body?.SafetyIdentifier is { Length: > 0 } s ? (s, "safety_identifier")
            : body?.User is { Length: > 0 } u ? (u, "user")
            : body?.Metadata?.TryGetValue(CustomerMetadataKey, out var m) == true && m.Length > 0 ? (m, "metadata.customer_id")
            : request.Headers[CustomerHeader].FirstOrDefault() is { Length: > 0 } h ? (h, CustomerHeader)
            : request.Query["customer"].FirstOrDefault() is { Length: > 0 } q ? (q, "customer")
            : ((string?)null, (string?)null);
        if (value is null) return AgentSessionInfo.AnonymousCustomer;
        try
        {
            return CustomerContext.ValidateId(value, param!);
        }
        catch (PluginInputException ex)
        {
            throw OpenAiRequestException.BadRequest($"{param}: {ex.Message}", param, "invalid_value");
        }
    }

    public async Task<ResponseTurn> PrepareAsync(CreateResponseRequest body, string customer, int maxTokensLimit, int defaultMaxTokens, CancellationToken cancellationToken)
    {
        var agent = agents.Resolve(body.Model);
        var mapped = ResponsesRequestMapper.Map(body, maxTokensLimit, agent.IsRaw ? Math.Min(maxTokensLimit, defaultMaxTokens) : null, Options.MaxInputItems);
        var conversationId = ConversationId(body.Conversation);
        if (conversationId is not null && body.PreviousResponseId is not null)
            throw OpenAiRequestException.BadRequest("'previous_response_id' and 'conversation' cannot be used together.", "conversation", "invalid_value");

        string? continues = null;
        if (body.PreviousResponseId is { } previousId)
        {
            var previous = await store.FindResponseAsync(previousId, customer, cancellationToken).ConfigureAwait(false)
                ?? throw OpenAiRequestException.NotFound($"Previous response with id '{previousId}' not found.", "previous_response_id", "previous_response_not_found");
            if (!string.Equals(previous.Agent, agent.StoredName, StringComparison.OrdinalIgnoreCase))
                throw OpenAiRequestException.BadRequest($"previous_response_id: response '{previousId}' ran '{agents.ModelOf(previous.Agent)}', not '{agent.Model}'; a chain stays with one agent.", "model", "invalid_value");
            continues = previous.SessionId;
            conversationId = previous.ConversationId;
        }
        else if (conversationId is not null)
        {
            var conversation = await store.FindConversationAsync(conversationId, customer, cancellationToken).ConfigureAwait(false)
                ?? throw OpenAiRequestException.NotFound($"Conversation with id '{conversationId}' not found.", "conversation", "conversation_not_found");
            if (conversation.Agent is { } owner && !string.Equals(owner, agent.StoredName, StringComparison.OrdinalIgnoreCase))
                throw OpenAiRequestException.BadRequest($"conversation: '{conversationId}' talks to '{agents.ModelOf(owner)}', not '{agent.Model}'.", "model", "invalid_value");
            continues = conversationId;
        }

        var earlier = continues is null ? [] : (await history.LoadAsync(continues, cancellationToken).ConfigureAwait(false)).Select(m => m.Message).ToList();
        var knownCalls = new HashSet<string>(ConversationItemsMapper.CallIds(earlier).Concat(mapped.InputCallIds), StringComparer.Ordinal);
        foreach (var (index, callId) in mapped.ToolOutputs)
        {
            if (!knownCalls.Contains(callId))
                throw OpenAiRequestException.BadRequest($"No tool call found for function call output with call_id '{callId}'.", $"input[{index}].call_id", "invalid_value");
        }

        var messages = mapped.Messages.ToList();
        if (mapped.Approvals.Count > 0)
        {
            var pending = continues is null ? [] : await PendingAsync(continues, cancellationToken).ConfigureAwait(false);
            var answers = new List<AIContent>();
            foreach (var answer in mapped.Approvals)
            {
                var request = pending.FirstOrDefault(p => p.RequestId == answer.RequestId)
                    ?? throw OpenAiRequestException.BadRequest($"No pending approval request with id '{answer.RequestId}' in this conversation.", $"input[{answer.Index}].approval_request_id", "invalid_value");
                var call = new FunctionCallContent(request.CallId, request.Name, JsonSerializer.Deserialize<Dictionary<string, object?>>(request.Arguments, AIJsonUtilities.DefaultOptions));
                answers.Add(new ToolApprovalRequestContent(request.RequestId, call).CreateResponse(answer.Approve, answer.Approve ? null : answer.Reason ?? "The person declined this tool call."));
            }
            messages.Add(new ChatMessage(ChatRole.User, answers));
        }
        if (messages.Count == 0)
            throw OpenAiRequestException.BadRequest("Invalid 'input': nothing for the model to answer (only reasoning items).", "input", "empty_array");

        var storeIt = body.Store ?? Options.StoreByDefault;
        var sessionId = !storeIt ? "tmp_" + Guid.NewGuid().ToString("N") : continues ?? SqliteChatHistoryProvider.NewSessionId();
        AgentSession session;
        try
        {
            session = await sessions.GetOrCreateSessionAsync(agent.Agent, SqliteAgentSessionStore.Key(sessionId, customer), cancellationToken).ConfigureAwait(false);
        }
        catch (AgentSessionConflictException ex)
        {
            throw OpenAiRequestException.BadRequest(ex.Message, "model", "invalid_value");
        }
        // store:false continuing a stored chain: the scratch session starts with a copy of its history.
        if (!storeIt && earlier.Count > 0) await history.AppendAsync(sessionId, earlier, cancellationToken).ConfigureAwait(false);

        var response = new ResponseObject
        {
            Id = ResponsesOutputMapper.NewId("resp"),
            CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Model = agent.Model,
            Instructions = body.Instructions,
            MaxOutputTokens = body.MaxOutputTokens,
            ParallelToolCalls = body.ParallelToolCalls ?? true,
            PreviousResponseId = body.PreviousResponseId,
            Conversation = conversationId is null ? null : new ResponseConversationRef(conversationId),
            Reasoning = body.Reasoning ?? new ResponseReasoningDto(),
            Store = storeIt,
            Temperature = body.Temperature,
            TopP = body.TopP,
            Text = new ResponseTextOut { Format = mapped.TextFormat },
            ToolChoice = mapped.ToolChoice,
            Tools = mapped.Tools,
            Truncation = body.Truncation ?? "disabled",
            User = body.User,
            SafetyIdentifier = body.SafetyIdentifier,
            Metadata = body.Metadata ?? [],
        };
        return new ResponseTurn
        {
            Agent = agent,
            Session = session,
            SessionId = sessionId,
            Customer = customer,
            ConversationId = conversationId,
            Store = storeIt,
            Transient = !storeIt,
            Messages = messages,
            RunOptions = new ChatClientAgentRunOptions(mapped.Options),
            Output = new ResponsesOutputMapper(response, Options.ApprovalServerLabel),
            InputItems = mapped.InputItems,
            Title = mapped.Messages.FirstOrDefault(m => m.Role == ChatRole.User)?.Text is { Length: > 0 } t ? (t.Length > 100 ? t[..100] : t) : null,
        };
    }

    /// <summary>Stores the session's state and the response (when stored); a scratch session is deleted.</summary>
    public async Task FinishAsync(ResponseTurn turn, CancellationToken cancellationToken)
    {
        if (turn.Transient)
        {
            await sessions.DeleteAsync(turn.SessionId, turn.Customer, cancellationToken).ConfigureAwait(false);
            return;
        }
        await sessions.SaveSessionAsync(turn.Agent.Agent, SqliteAgentSessionStore.Key(turn.SessionId, turn.Customer), turn.Session, cancellationToken).ConfigureAwait(false);
        var response = turn.Output.Response;
        await store.SaveResponseAsync(new StoredResponse(
            response.Id, turn.SessionId, turn.Agent.StoredName, turn.Customer, turn.ConversationId,
            JsonSerializer.Serialize(response, OpenAiJson.Options),
            JsonSerializer.Serialize(turn.InputItems, OpenAiJson.Options),
            JsonSerializer.Serialize(turn.Output.Pending, OpenAiJson.Options),
            DateTimeOffset.FromUnixTimeSeconds(response.CreatedAt)), cancellationToken).ConfigureAwait(false);
        if (turn.ConversationId is { } conversation)
            await store.BindConversationAsync(conversation, turn.Agent.StoredName, turn.Title, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A scratch session left by a failed run is removed too.</summary>
    public async Task AbandonAsync(ResponseTurn turn)
    {
        if (turn.Transient) await sessions.DeleteAsync(turn.SessionId, turn.Customer, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<PendingApproval>> PendingAsync(string sessionId, CancellationToken cancellationToken)
    {
        var latest = await store.LatestInSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return latest is null ? [] : JsonSerializer.Deserialize<List<PendingApproval>>(latest.PendingApprovalsJson, OpenAiJson.Options) ?? [];
    }

    private static string? ConversationId(JsonElement? conversation) => conversation switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
        _ => throw OpenAiRequestException.BadRequest("'conversation' must be a conversation id or {\"id\": ...}.", "conversation", "invalid_type"),
    };

    // ---- reads for GET / DELETE ----

    public async Task<ResponseObject> GetResponseAsync(string id, string customer, CancellationToken cancellationToken)
    {
        var stored = await FindOrThrowAsync(id, customer, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<ResponseObject>(stored.ResponseJson, OpenAiJson.Options)!;
    }

    public async Task<List<ResponseItem>> InputItemsAsync(string id, string customer, CancellationToken cancellationToken)
    {
        var stored = await FindOrThrowAsync(id, customer, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<List<ResponseItem>>(stored.InputJson, OpenAiJson.Options) ?? [];
    }

    public async Task DeleteResponseAsync(string id, string customer, CancellationToken cancellationToken)
    {
        if (!await store.DeleteResponseAsync(id, customer, cancellationToken).ConfigureAwait(false)) throw ResponseNotFound(id);
    }

    private async Task<StoredResponse> FindOrThrowAsync(string id, string customer, CancellationToken cancellationToken) =>
        await store.FindResponseAsync(id, customer, cancellationToken).ConfigureAwait(false) ?? throw ResponseNotFound(id);

    private static OpenAiRequestException ResponseNotFound(string id) =>
        OpenAiRequestException.NotFound($"Response with id '{id}' not found.", "response_id", "response_not_found");

    public async Task<ConversationObject> CreateConversationAsync(CreateConversationRequest body, string customer, CancellationToken cancellationToken)
    {
        if (body.Items is { ValueKind: JsonValueKind.Array } items && items.GetArrayLength() > 0)
            throw OpenAiRequestException.BadRequest("items: starting a conversation with items is not supported; send them as the input of its first response.", "items", "invalid_value");
        if (body.Metadata is { Count: > 16 })
            throw OpenAiRequestException.BadRequest($"metadata: at most 16 keys, got {body.Metadata.Count}.", "metadata", "invalid_value");
        var conversation = new StoredConversation("conv_" + Guid.NewGuid().ToString("N"), null, customer,
            JsonSerializer.Serialize(body.Metadata ?? [], OpenAiJson.Options), null, DateTimeOffset.UtcNow);
        await store.CreateConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
        return ToObject(conversation);
    }

    public async Task<ConversationObject> GetConversationAsync(string id, string customer, CancellationToken cancellationToken) =>
        ToObject(await FindConversationOrThrowAsync(id, customer, cancellationToken).ConfigureAwait(false));

    public async Task<List<ConversationObject>> ListConversationsAsync(string customer, CancellationToken cancellationToken) =>
        (await store.ListConversationsAsync(customer, Options.MaxListedConversations, cancellationToken).ConfigureAwait(false)).Select(ToObject).ToList();

    /// <summary>The conversation's items: its agent session's stored messages.</summary>
    public async Task<List<ResponseItem>> ConversationItemsAsync(string id, string customer, CancellationToken cancellationToken)
    {
        await FindConversationOrThrowAsync(id, customer, cancellationToken).ConfigureAwait(false);
        var messages = (await history.LoadAsync(id, cancellationToken).ConfigureAwait(false)).Select(m => m.Message).ToList();
        return ConversationItemsMapper.Map(messages);
    }

    public async Task DeleteConversationAsync(string id, string customer, CancellationToken cancellationToken)
    {
        if (!await store.DeleteConversationAsync(id, customer, cancellationToken).ConfigureAwait(false))
            throw ConversationNotFound(id);
        await sessions.DeleteAsync(id, customer, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredConversation> FindConversationOrThrowAsync(string id, string customer, CancellationToken cancellationToken) =>
        await store.FindConversationAsync(id, customer, cancellationToken).ConfigureAwait(false) ?? throw ConversationNotFound(id);

    private static OpenAiRequestException ConversationNotFound(string id) =>
        OpenAiRequestException.NotFound($"Conversation with id '{id}' not found.", "conversation_id", "conversation_not_found");

    private ConversationObject ToObject(StoredConversation c) => new()
    {
        Id = c.Id,
        CreatedAt = c.CreatedAt.ToUnixTimeSeconds(),
        Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(c.MetadataJson, OpenAiJson.Options) ?? [],
        Agent = c.Agent is null ? null : agents.ModelOf(c.Agent),
        Title = c.Title,
    };
}
