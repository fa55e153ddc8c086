using AgentHost.Cluster.Nodes;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Placement;
using AgentHost.Cluster.Routing;
using AgentHost.Llama.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster.Grains;

/// <summary>
/// A conversation: its history in grain storage (shared by all nodes), each turn answered by the local engine of
/// the node it is active on. Turns of one conversation run one at a time, in order.
/// </summary>
internal abstract class ConversationGrainBase : Grain, IConversationTurns
{
    private readonly LlamaChatClient _chat;
    private readonly LocalNode _node;
    private readonly int _blockChars;
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected ConversationGrainBase(LlamaChatClient chat, LocalNode node, IOptions<AgentHostClusterOptions> options)
    {
        _chat = chat;
        _node = node;
        _blockChars = options.Value.PrefixBlockChars;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _node.ConversationActivated();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _node.ConversationDeactivated();
        return Task.CompletedTask;
    }

    /// <summary>The conversation's id (the grain key, or the part of it naming the conversation).</summary>
    protected virtual string ConversationId => this.GetPrimaryKeyString();

    /// <summary>The stored history, read when needed.</summary>
    protected abstract Task<ConversationState> LoadAsync();

    protected abstract Task SaveAsync();

    public async Task<IReadOnlyList<ConversationMessage>> GetHistoryAsync() => [.. (await LoadAsync()).Messages];

    public Task<string> GetNodeAsync() => Task.FromResult(_node.Name);

    /// <summary>Called when a turn is over (stored or failed).</summary>
    protected virtual void OnTurnDone() { }

    public async IAsyncEnumerable<TurnChunk> SendAsync(TurnRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = ConversationId;
        await _gate.WaitAsync();
        _node.TurnStarted();
        try
        {
            var state = await LoadAsync();
            var stored = state.ReplyIndexes.Count;
            if (request.Turn is { } turn && turn != stored)
            {
                if (turn < 0 || turn > stored)
                    throw new ConversationTurnException($"Conversation '{id}' has {stored} stored turns; turn {turn} cannot be next (Turn must be 0..{stored}).");
                // A retry of a turn whose reply was lost on the way: the stored reply answers it, nothing is stored twice.
                yield return new TurnChunk { Text = state.Messages[state.ReplyIndexes[turn]].Content, Final = true, Node = _node.Name, Turn = turn, Replayed = true, FinishReason = "stop" };
                yield break;
            }
            Validate(request, id);

            var history = state.Messages.Concat(request.Messages).ToList();
            var options = new ChatOptions
            {
                MaxOutputTokens = request.Settings.MaxTokens,
                Temperature = request.Settings.Temperature,
                Seed = request.Settings.Seed,
            };
            var reply = new System.Text.StringBuilder();
            UsageDetails? usage = null;
            ChatFinishReason? finish = null;
            await foreach (var update in _chat.GetStreamingResponseAsync(history.Select(ToChat), options))
            {
                foreach (var u in update.Contents.OfType<UsageContent>()) usage = u.Details;
                finish ??= update.FinishReason;
                var text = update.Text;
                if (text.Length == 0) continue;
                reply.Append(text);
                // The node on every chunk: an HTTP entry node can name it in its response headers before the end.
                yield return new TurnChunk { Text = text, Turn = stored, Node = _node.Name };
            }

            // Stored before the final chunk: a client that saw the end of its reply knows the turn is kept.
            var answer = new ConversationMessage("assistant", reply.ToString());
            state.Messages.AddRange(request.Messages);
            state.ReplyIndexes.Add(state.Messages.Count);
            state.Messages.Add(answer);
            await SaveAsync();
            _node.Served(id, PromptPrefixHasher.Hash(state.Messages, _blockChars));

            yield return new TurnChunk
            {
                Final = true,
                Turn = stored,
                Node = _node.Name,
                PromptTokens = (int)(usage?.InputTokenCount ?? 0),
                CompletionTokens = (int)(usage?.OutputTokenCount ?? 0),
                CachedPromptTokens = (int)(usage?.AdditionalCounts?.GetValueOrDefault("CachedInputTokens") ?? 0),
                FinishReason = finish?.Value,
            };
        }
        finally
        {
            _node.TurnEnded();
            _gate.Release();
            OnTurnDone();
        }
    }

    internal static void Validate(TurnRequest request, string id)
    {
        if (request.Messages.Count == 0) throw new ConversationTurnException($"Conversation '{id}': Messages must hold at least one message.");
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var m = request.Messages[i];
            if (m.Role is not ("system" or "user" or "assistant" or "tool"))
                throw new ConversationTurnException($"Conversation '{id}': Messages[{i}].Role must be system, user, assistant or tool, got '{m.Role}'.");
        }
        if (request.Settings.MaxTokens < 1) throw new ConversationTurnException($"Conversation '{id}': Settings.MaxTokens must be at least 1, got {request.Settings.MaxTokens}.");
    }

    internal static ChatMessage ToChat(ConversationMessage m) => new(new ChatRole(m.Role), m.Content);
}

[CacheAffinityPlacement]
internal sealed class ConversationGrain(
    [PersistentState("conversation", AgentHostClusterOptions.StorageName)] IPersistentState<ConversationState> state,
    LlamaChatClient chat, LocalNode node, IOptions<AgentHostClusterOptions> options)
    : ConversationGrainBase(chat, node, options), IConversationGrain
{
    protected override Task<ConversationState> LoadAsync() => Task.FromResult(state.State);

    protected override Task SaveAsync() => state.WriteStateAsync();
}

/// <summary>
/// The baseline: one activation per turn, keyed "conversation#turn", placed round-robin by turn
/// (<see cref="RoundRobinPlacement"/>); it reads the history from the store, answers, writes it back and leaves,
/// as a node behind a stateless round-robin router would.
/// </summary>
[RoundRobinPlacement]
internal sealed class RoundRobinConversationGrain(IServiceProvider services, LlamaChatClient chat, LocalNode node, IOptions<AgentHostClusterOptions> options)
    : ConversationGrainBase(chat, node, options), IRoundRobinConversationGrain
{
    private const string StateName = "conversation";
    private readonly IGrainStorage _storage = services.GetRequiredKeyedService<IGrainStorage>(AgentHostClusterOptions.StorageName);
    private GrainState<ConversationState>? _state;

    protected override string ConversationId => RoundRobinKey.Conversation(this.GetPrimaryKeyString());

    /// <summary>The stored conversation, under its own grain type so it never races an affinity grain's copy.</summary>
    private GrainId StoredId => GrainId.Create("agenthost-roundrobin-conversation", ConversationId);

    protected override async Task<ConversationState> LoadAsync()
    {
        _state = new GrainState<ConversationState>(new ConversationState());
        await _storage.ReadStateAsync(StateName, StoredId, _state);
        _state.State ??= new ConversationState();
        return _state.State;
    }

    protected override Task SaveAsync() => _storage.WriteStateAsync(StateName, StoredId, _state!);

    protected override void OnTurnDone() => DeactivateOnIdle();
}

/// <summary>Keys of round-robin turn grains: "conversation#turn".</summary>
internal static class RoundRobinKey
{
    public static string For(string conversation, int turn) => $"{conversation}#{turn}";

    public static string Conversation(string key) => key[..key.LastIndexOf('#')];

    public static int Turn(string key) => int.TryParse(key.AsSpan(key.LastIndexOf('#') + 1), out var t) ? t : 0;
}
