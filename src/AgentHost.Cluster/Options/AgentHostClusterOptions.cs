using System.ComponentModel.DataAnnotations;

namespace AgentHost.Cluster.Options;

/// <summary>How the silos of the cluster find each other (Orleans membership).</summary>
public enum ClusterProvider
{
    /// <summary>One process (or a dev box): Orleans' localhost clustering, no external store.</summary>
    Localhost,
    Redis,
    PostgreSQL,
}

/// <summary>Where conversation history (grain state) is kept; shared by all nodes except <see cref="Memory"/>.</summary>
public enum SessionStoreProvider
{
    /// <summary>In the cluster's memory: lost when the node holding it dies. Development only.</summary>
    Memory,
    Redis,
    PostgreSQL,
}

/// <summary>How a new conversation (or a request without one) picks its node.</summary>
public enum ClusterRouting
{
    /// <summary>Least-loaded node for new conversations, longest shared prompt prefix for requests without an id; a conversation stays where its KV cache is.</summary>
    Affinity,
    /// <summary>The comparison baseline: every turn goes to the next node in turn, history reloaded from the store.</summary>
    RoundRobin,
}

/// <summary>Settings of a cluster node, bound from the "Cluster" section of appsettings.json.</summary>
public sealed class AgentHostClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>Grain storage name the conversation grains persist under.</summary>
    public const string StorageName = "agenthost-conversations";

    public ClusterProvider Provider { get; set; } = ClusterProvider.Localhost;

    /// <summary>Redis ("host:port,...") or PostgreSQL ("Host=...;Database=...") connection string of the membership table; required unless Localhost.</summary>
    public string? ConnectionString { get; set; }

    public SessionStoreProvider SessionStore { get; set; } = SessionStoreProvider.Memory;

    /// <summary>Connection string of the session store; defaults to <see cref="ConnectionString"/>.</summary>
    public string? SessionStoreConnectionString { get; set; }

    /// <summary>Silo-to-silo port.</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients connect to.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other silos reach this one on; default 127.0.0.1 (loopback clusters).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>With Localhost clustering: the silo port of the primary silo (the first node); default this node's own <see cref="SiloPort"/>.</summary>
    [Range(0, 65535)]
    public int? PrimarySiloPort { get; set; }

    [Required(AllowEmptyStrings = false, ErrorMessage = "Cluster:ClusterId must not be empty")]
    public string ClusterId { get; set; } = "agenthost";

    [Required(AllowEmptyStrings = false, ErrorMessage = "Cluster:ServiceId must not be empty")]
    public string ServiceId { get; set; } = "agenthost";

    public ClusterRouting Routing { get; set; } = ClusterRouting.Affinity;

    /// <summary>How often each node publishes its load and prefix summary (milliseconds).</summary>
    [Range(50, 60000)]
    public int SummaryIntervalMs { get; set; } = 500;

    /// <summary>Most prompt-prefix block hashes a node publishes (its most recent ones).</summary>
    [Range(0, 1 << 20)]
    public int PrefixSummarySize { get; set; } = 4096;

    /// <summary>Characters of rendered conversation per prefix block.</summary>
    [Range(8, 1 << 16)]
    public int PrefixBlockChars { get; set; } = 64;

    /// <summary>Orleans' membership probe timeout (milliseconds); unset keeps Orleans' default. Lower it to declare a killed node dead sooner.</summary>
    [Range(100, 600000)]
    public int? ProbeTimeoutMs { get; set; }

    /// <summary>Missed probes before a node is suspected; unset keeps Orleans' default.</summary>
    [Range(1, 100)]
    public int? MissedProbesLimit { get; set; }

    /// <summary>Suspicions needed to declare a node dead; unset keeps Orleans' default (2). 1 suits a 2- or 3-node cluster.</summary>
    [Range(1, 100)]
    public int? VotesForDeathDeclaration { get; set; }
}
