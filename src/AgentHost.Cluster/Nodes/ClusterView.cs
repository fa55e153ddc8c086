using AgentHost.Cluster.Routing;

namespace AgentHost.Cluster.Nodes;

/// <summary>This node's latest copy of every node's summary, read by the placement directors without a network call.
/// Between two copies it counts the conversations it placed on each node, so a burst of new conversations spreads
/// out instead of all going to the node that looked idle at the last publish.</summary>
public sealed class ClusterView
{
    private readonly object _gate = new();
    private Dictionary<SiloAddress, Entry> _nodes = [];

    public sealed class Entry(NodeSummary summary)
    {
        public NodeSummary Summary { get; } = summary;
        public HashSet<long> Prefixes { get; } = [.. summary.PrefixHashes];
        public HashSet<string> Conversations { get; } = [.. summary.Conversations, ];
        public int PlacedSince;
        /// <summary>Prefixes this node learned the silo holds (a request it sent there) after the summary was taken.</summary>
        public List<(DateTimeOffset At, long[] Hashes)> Learned { get; } = [];
    }

    public void Update(IEnumerable<NodeSummary> summaries)
    {
        var next = summaries.ToDictionary(s => s.Silo, s => new Entry(s));
        lock (_gate)
        {
            // Placements since a node's summary was taken still count until the node reports them itself.
            foreach (var (silo, entry) in next)
            {
                if (!_nodes.TryGetValue(silo, out var old)) continue;
                if (old.Summary.PublishedAt == entry.Summary.PublishedAt) entry.PlacedSince = old.PlacedSince;
                // What was learned after this summary was taken is not in it yet.
                foreach (var learned in old.Learned.Where(l => l.At > entry.Summary.PublishedAt))
                {
                    entry.Learned.Add(learned);
                    entry.Prefixes.UnionWith(learned.Hashes);
                }
            }
            _nodes = next;
        }
    }

    /// <summary>
    /// A request this node sent to <paramref name="silo"/> left these prefix blocks in its cache: known here at once,
    /// so the next request of the same conversation (an agent's next model call, milliseconds later) follows it
    /// before the silo's next summary says so.
    /// </summary>
    public void Learn(SiloAddress silo, long[] hashes)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(silo, out var entry)) return;
            entry.Learned.Add((DateTimeOffset.UtcNow, hashes));
            entry.Prefixes.UnionWith(hashes);
        }
    }

    public IReadOnlyCollection<NodeSummary> Summaries
    {
        get { lock (_gate) return _nodes.Values.Select(e => e.Summary).ToList(); }
    }

    /// <summary>The silo (among <paramref name="silos"/>) for a grain: one that served <paramref name="conversation"/>,
    /// else the one sharing most leading blocks of <paramref name="prefix"/>, else the least loaded.</summary>
    public SiloAddress Choose(SiloAddress[] silos, string? conversation, long[]? prefix)
    {
        lock (_gate)
        {
            Entry? Get(SiloAddress s) => _nodes.GetValueOrDefault(s);
            SiloAddress? chosen = null;
            if (conversation is not null)
                chosen = silos.FirstOrDefault(s => Get(s)?.Conversations.Contains(conversation) == true);
            if (chosen is null && prefix is { Length: > 0 })
            {
                var best = 0;
                foreach (var s in silos)
                {
                    var shared = Get(s) is { } e ? PromptPrefixHasher.SharedBlocks(prefix, e.Prefixes) : 0;
                    if (shared > best || (shared == best && shared > 0 && chosen is not null && Load(Get(s)) < Load(Get(chosen)))) (best, chosen) = (shared, s);
                }
            }
            chosen ??= silos.OrderBy(s => Load(Get(s))).ThenBy(_ => Random.Shared.Next()).First();
            if (Get(chosen) is { } placed) placed.PlacedSince++;
            return chosen;
        }
    }

    /// <summary>Busy slots and queue first (work now), then conversations held per slot (work to come).</summary>
    private static double Load(Entry? e) => e is null
        ? 0 // a node that just joined and has not published yet: idle
        : e.Summary.BusySlots + e.Summary.QueueLength + e.Summary.TurnsInFlight
          + (e.Summary.ActiveConversations + e.PlacedSince) / (double)Math.Max(1, e.Summary.SlotCount);
}
