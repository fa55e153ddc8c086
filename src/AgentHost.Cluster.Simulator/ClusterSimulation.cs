namespace AgentHost.Cluster.Simulator;

/// <summary>Figures of one simulated run.</summary>
public sealed record SimulationReport(
    SimulatedRouting Routing, int Nodes, int Conversations, long Turns,
    long PromptTokens, long CachedTokens, long RecomputedTokens, long GeneratedTokens,
    double TtftP50, double TtftP99, double Seconds, double ConversationsPerNodeHour)
{
    /// <summary>Prompt tokens that were already in the node's cache from an earlier turn but evaluated again.</summary>
    public long RecomputedHistoryTokens { get; init; }
}

/// <summary>
/// A discrete-event simulation of a cluster. Each node has <see cref="NodeCosts.Slots"/> slots and a FIFO queue; a
/// turn takes a slot, evaluates the prompt tokens its node does not hold (at pp speed), then generates its reply in
/// batched decode steps whose length depends on how many slots are busy. A node's KV cache (LRU, in tokens) holds
/// each conversation's history after its last turn there, and the shared system prompt once it has served one.
/// Affinity: a new conversation goes to the node with the fewest busy + queued turns (then fewest open conversations)
/// and stays there. Round-robin: every turn goes to the next node.
/// </summary>
public static class ClusterSimulation
{
    public static SimulationReport Run(int nodes, NodeCosts costs, Workload workload, SimulatedRouting routing, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var random = new Random(seed);
        var node = Enumerable.Range(0, nodes).Select(_ => new Node(costs.KvCacheTokens)).ToArray();
        var conversations = nodes * workload.ConversationsPerNode;
        var events = new PriorityQueue<Event, (double, long)>();
        long sequence = 0;
        void Schedule(double time, Event e) => events.Enqueue(e, (time, sequence++));

        var t = 0.0;
        for (var c = 0; c < conversations; c++)
        {
            t += Exponential(random, 1 / (workload.ArrivalsPerNodePerSecond * nodes));
            Schedule(t, new Event(EventKind.Arrive, c, 0, -1));
        }

        var home = new int[conversations];
        Array.Fill(home, -1);
        var nextNode = 0;
        long turns = 0, prompt = 0, cached = 0, generated = 0, recomputedHistory = 0;
        var ttft = new List<double>();
        var finished = 0;
        var now = 0.0;

        while (events.TryDequeue(out var e, out var key))
        {
            now = key.Item1;
            switch (e.Kind)
            {
                case EventKind.Arrive:
                {
                    int n;
                    if (routing == SimulatedRouting.RoundRobin) n = nextNode++ % nodes;
                    else if (home[e.Conversation] >= 0) n = home[e.Conversation];
                    else
                    {
                        n = 0;
                        for (var i = 1; i < nodes; i++)
                            if (node[i].Load < node[n].Load || (node[i].Load == node[n].Load && node[i].Open < node[n].Open)) n = i;
                        home[e.Conversation] = n;
                        node[n].Open++;
                    }
                    var turn = new Turn(e.Conversation, e.Turn, now);
                    if (node[n].Active < costs.Slots) Start(n, turn);
                    else node[n].Queue.Enqueue(turn);
                    break;
                }
                case EventKind.Done:
                {
                    var n = e.Node;
                    node[n].Active--;
                    var history = History(workload, e.Turn + 1);
                    node[n].Store(e.Conversation, history);
                    if (node[n].Queue.TryDequeue(out var waiting)) Start(n, waiting);
                    if (e.Turn + 1 < workload.Turns) Schedule(now + Exponential(random, workload.ThinkSeconds), new Event(EventKind.Arrive, e.Conversation, e.Turn + 1, -1));
                    else
                    {
                        finished++;
                        if (routing == SimulatedRouting.Affinity) node[home[e.Conversation]].Open--;
                    }
                    break;
                }
            }
        }

        ttft.Sort();
        return new SimulationReport(routing, nodes, conversations, turns, prompt, cached, prompt - cached, generated,
            Percentile(ttft, 0.50), Percentile(ttft, 0.99), now, finished / (nodes * Math.Max(now, 1e-9) / 3600))
        { RecomputedHistoryTokens = recomputedHistory };

        void Start(int n, Turn turn)
        {
            var nd = node[n];
            nd.Active++;
            var promptTokens = History(workload, turn.Index) + workload.UserTokens;
            // What this node holds: the conversation's history from its last turn here, else the shared system prompt.
            var held = nd.Take(turn.Conversation);
            var fromCache = Math.Max(held, nd.SeenSystem ? workload.SystemTokens : 0);
            fromCache = Math.Min(fromCache, promptTokens);
            nd.SeenSystem = true;
            var evaluate = promptTokens - fromCache;
            var step = costs.StepSeconds(nd.Active);
            var first = evaluate / costs.PromptTokensPerSecond + step;
            ttft.Add(now - turn.Arrived + first);
            turns++;
            prompt += promptTokens;
            cached += fromCache;
            generated += workload.ReplyTokens;
            // History a node of the cluster had computed before (the previous turn's) but this node evaluates again.
            recomputedHistory += Math.Max(0, History(workload, turn.Index) - fromCache);
            Schedule(now + first + (workload.ReplyTokens - 1) * step, new Event(EventKind.Done, turn.Conversation, turn.Index, n));
        }
    }

    /// <summary>Tokens before turn <paramref name="turn"/>'s user message: the system prompt and the earlier turns.</summary>
    public static long History(Workload w, int turn) => turn == 0 ? w.SystemTokens : w.SystemTokens + (long)turn * (w.UserTokens + w.ReplyTokens);

    private static double Exponential(Random random, double mean) => -mean * Math.Log(1 - random.NextDouble());

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private enum EventKind { Arrive, Done }

    private readonly record struct Event(EventKind Kind, int Conversation, int Turn, int Node);

    private readonly record struct Turn(int Conversation, int Index, double Arrived);

    private sealed class Node(long capacity)
    {
        private readonly LinkedList<(int Conversation, long Tokens)> _lru = new();
        private readonly Dictionary<int, LinkedListNode<(int Conversation, long Tokens)>> _entries = [];
        private long _size;

        public int Active;
        public int Open;
        public bool SeenSystem;
        public Queue<Turn> Queue { get; } = new();
        public int Load => Active + Queue.Count;

        /// <summary>The tokens held for <paramref name="conversation"/>, taken out (they go into a slot).</summary>
        public long Take(int conversation)
        {
            if (!_entries.Remove(conversation, out var entry)) return 0;
            _lru.Remove(entry);
            _size -= entry.Value.Tokens;
            return entry.Value.Tokens;
        }

        public void Store(int conversation, long tokens)
        {
            Take(conversation);
            if (tokens > capacity) return;
            _entries[conversation] = _lru.AddFirst((conversation, tokens));
            _size += tokens;
            while (_size > capacity && _lru.Last is { } oldest)
            {
                _entries.Remove(oldest.Value.Conversation);
                _size -= oldest.Value.Tokens;
                _lru.RemoveLast();
            }
        }
    }
}
