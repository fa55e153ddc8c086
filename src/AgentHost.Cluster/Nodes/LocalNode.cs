using AgentHost.Llama.Engine;
using Microsoft.Extensions.Options;
using AgentHost.Cluster.Options;

namespace AgentHost.Cluster.Nodes;

/// <summary>This node's side of the cluster: its engine's load, its active conversations, and the recent prompt
/// prefixes and conversations its cache holds (bounded, most recent kept).</summary>
public sealed class LocalNode(LlamaEngine engine, ILocalSiloDetails silo, IOptions<AgentHostClusterOptions> options)
{
    private readonly object _gate = new();
    private readonly RecentSet<long> _prefixes = new(options.Value.PrefixSummarySize);
    private readonly RecentSet<string> _conversations = new(options.Value.PrefixSummarySize);
    private int _activeConversations;
    private int _turnsInFlight;

    public string Name => silo.Name;
    public SiloAddress Silo => silo.SiloAddress;
    public LlamaEngine Engine => engine;

    public void ConversationActivated() => Interlocked.Increment(ref _activeConversations);
    public void ConversationDeactivated() => Interlocked.Decrement(ref _activeConversations);
    public void TurnStarted() => Interlocked.Increment(ref _turnsInFlight);
    public void TurnEnded() => Interlocked.Decrement(ref _turnsInFlight);

    public void Served(string? conversation, long[] prefixHashes)
    {
        lock (_gate)
        {
            if (conversation is not null) _conversations.Add(conversation);
            foreach (var h in prefixHashes) _prefixes.Add(h);
        }
    }

    public NodeSummary Snapshot()
    {
        lock (_gate)
        {
            return new NodeSummary
            {
                Silo = silo.SiloAddress,
                Node = silo.Name,
                SlotCount = engine.SlotCount,
                BusySlots = engine.BusySlots,
                QueueLength = engine.QueueLength,
                ActiveConversations = Volatile.Read(ref _activeConversations),
                TurnsInFlight = Volatile.Read(ref _turnsInFlight),
                PrefixHashes = _prefixes.ToArray(),
                Conversations = _conversations.ToArray(),
                PublishedAt = DateTimeOffset.UtcNow,
                PromptTokensEvaluated = engine.PromptTokensEvaluated,
                PromptTokensFromCache = engine.PromptTokensFromCache,
            };
        }
    }

    /// <summary>Insertion-ordered set that forgets its oldest entries beyond a capacity; re-adding refreshes an entry.</summary>
    private sealed class RecentSet<T>(int capacity) where T : notnull
    {
        private readonly LinkedList<T> _order = new();
        private readonly Dictionary<T, LinkedListNode<T>> _nodes = [];

        public void Add(T value)
        {
            if (capacity == 0) return;
            if (_nodes.TryGetValue(value, out var node)) _order.Remove(node);
            _nodes[value] = _order.AddLast(value);
            while (_order.Count > capacity)
            {
                _nodes.Remove(_order.First!.Value);
                _order.RemoveFirst();
            }
        }

        public T[] ToArray() => [.. _order];
    }
}
