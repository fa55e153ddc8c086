using Orleans.Placement;

namespace AgentHost.Cluster.Placement;

/// <summary>
/// Places a new activation on the node whose KV cache most likely holds its prompt: a node that served this
/// conversation before, else the node sharing the longest prompt prefix (request context
/// <see cref="PrefixHashesKey"/>), else the least-loaded node. Once active, a grain stays where it is (Orleans keeps
/// an activation in place), and so does its KV cache.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class CacheAffinityPlacement : PlacementStrategy
{
    /// <summary>Request-context key of the prompt's prefix-block hashes (long[]), set by the caller for requests without a conversation id.</summary>
    public const string PrefixHashesKey = "agenthost.prefix";

    internal static readonly CacheAffinityPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CacheAffinityPlacementAttribute() : PlacementAttribute(CacheAffinityPlacement.Instance);

/// <summary>
/// The baseline: each turn of a conversation goes to the next node in turn (node = hash(conversation) + turn, from
/// the turn grain's key "conversation#turn"), whatever it has cached, as a stateless round-robin router in front of
/// the nodes would send it. Other keys: a plain counter.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class RoundRobinPlacement : PlacementStrategy
{
    internal static readonly RoundRobinPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RoundRobinPlacementAttribute() : PlacementAttribute(RoundRobinPlacement.Instance);
