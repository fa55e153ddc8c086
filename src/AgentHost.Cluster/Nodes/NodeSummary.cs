namespace AgentHost.Cluster.Nodes;

/// <summary>What one node publishes to the cluster: its load and what its cache holds.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeSummary
{
    [Id(0)] public required SiloAddress Silo { get; init; }
    [Id(1)] public string Node { get; init; } = "";
    [Id(2)] public int SlotCount { get; init; }
    [Id(3)] public int BusySlots { get; init; }
    [Id(4)] public int QueueLength { get; init; }
    [Id(5)] public int ActiveConversations { get; init; }
    [Id(6)] public int TurnsInFlight { get; init; }
    /// <summary>Prefix-block hashes of prompts it served recently (see <see cref="Routing.PromptPrefixHasher"/>).</summary>
    [Id(7)] public long[] PrefixHashes { get; init; } = [];
    /// <summary>Conversations it served recently: their KV state may still be in its prompt cache after the grain went idle.</summary>
    [Id(8)] public string[] Conversations { get; init; } = [];
    [Id(9)] public DateTimeOffset PublishedAt { get; init; }
    [Id(10)] public long PromptTokensEvaluated { get; init; }
    [Id(11)] public long PromptTokensFromCache { get; init; }
}
