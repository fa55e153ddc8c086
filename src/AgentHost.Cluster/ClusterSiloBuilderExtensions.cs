using System.Net;
using AgentHost.Cluster.Nodes;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Placement;
using AgentHost.Cluster.Routing;
using AgentHost.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Runtime.Placement;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace AgentHost.Cluster;

/// <summary>Makes an Orleans silo an AgentHost node.</summary>
public static class ClusterSiloBuilderExtensions
{
    /// <summary>
    /// The conversation grains and what they need on every node: this node's summary (load, cached prefixes),
    /// its publisher, the cluster view, the cache-affinity and round-robin placement directors and the
    /// <see cref="ConversationRouter"/>, and <see cref="ClusterChatClient"/> as the model under every chat pipeline
    /// (<see cref="LlamaServiceCollectionExtensions.ModelChatClientKey"/>). Clustering and storage are the caller's (see <see cref="AddAgentHostCluster"/>);
    /// grain storage must be registered under <see cref="AgentHostClusterOptions.StorageName"/>. The node's
    /// <c>IChatClient</c> and <c>LlamaEngine</c> come from DI (<c>AddLlamaChatClient</c>).
    /// </summary>
    public static ISiloBuilder AddAgentHostConversations(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.AddOptions<AgentHostClusterOptions>();
        services.TryAddSingleton<LocalNode>();
        services.TryAddSingleton<ClusterView>();
        services.TryAddSingleton<ConversationRouter>();
        services.TryAddSingleton<ClusterChatClient>();
        // Every pipeline of the node (server, agents, kernel) runs its model calls where their prompt prefix is cached.
        services.RemoveAllKeyed<IChatClient>(LlamaServiceCollectionExtensions.ModelChatClientKey);
        services.AddKeyedSingleton<IChatClient>(LlamaServiceCollectionExtensions.ModelChatClientKey, (sp, _) => sp.GetRequiredService<ClusterChatClient>());
        services.AddHostedService<NodeSummaryPublisher>();
        services.AddPlacementDirector<CacheAffinityPlacement, CacheAffinityPlacementDirector>();
        services.AddPlacementDirector<RoundRobinPlacement, RoundRobinPlacementDirector>();
        return silo;
    }

    /// <summary>
    /// Everything from <paramref name="options"/>: cluster and service id, the node's ports, membership
    /// (<see cref="AgentHostClusterOptions.Provider"/>), the session store, and <see cref="AddAgentHostConversations"/>.
    /// </summary>
    public static ISiloBuilder AddAgentHostCluster(this ISiloBuilder silo, AgentHostClusterOptions options)
    {
        AgentHostClusterOptionsValidator.ThrowIfInvalid(options);
        var address = IPAddress.Parse(options.AdvertisedAddress);
        silo.Configure<SiloOptions>(o => o.SiloName = $"node-{options.AdvertisedAddress}:{options.SiloPort}");
        if (options.Provider == ClusterProvider.Localhost)
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort ?? options.SiloPort), options.ServiceId, options.ClusterId);
        else
        {
            silo.AddMembershipTable(options);
            silo.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
            silo.ConfigureEndpoints(address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
        }

        // How fast a node that died (kill -9) is declared dead, so its conversations reactivate elsewhere.
        if (options.ProbeTimeoutMs is not null || options.MissedProbesLimit is not null || options.VotesForDeathDeclaration is not null)
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                if (options.ProbeTimeoutMs is { } probe) o.ProbeTimeout = TimeSpan.FromMilliseconds(probe);
                if (options.MissedProbesLimit is { } missed) o.NumMissedProbesLimit = missed;
                if (options.VotesForDeathDeclaration is { } votes) o.NumVotesForDeathDeclaration = votes;
            });

        silo.AddSessionStore(options);
        if (options.Provider == ClusterProvider.PostgreSQL || options.SessionStore == SessionStoreProvider.PostgreSQL)
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new PostgreSqlSchemaCheck(options));
        return silo.AddAgentHostConversations();
    }

    /// <summary>The shared membership table of <see cref="AgentHostClusterOptions.Provider"/> Redis or PostgreSQL (Localhost has none).</summary>
    internal static ISiloBuilder AddMembershipTable(this ISiloBuilder silo, AgentHostClusterOptions options)
    {
        switch (options.Provider)
        {
            case ClusterProvider.Redis:
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(options.ConnectionString!));
                break;
            case ClusterProvider.PostgreSQL:
                // Orleans' tables and queries (deploy/orleans/postgresql: PostgreSQL-Main.sql, then PostgreSQL-Clustering.sql)
                // must be in the database. "Npgsql" resolves by loading the Npgsql assembly this project references.
                silo.UseAdoNetClustering(o => { o.Invariant = PostgreSqlInvariant; o.ConnectionString = options.ConnectionString; });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Cluster:Provider has no shared membership table.");
        }
        return silo;
    }

    /// <summary>Grain storage <see cref="AgentHostClusterOptions.StorageName"/> of <see cref="AgentHostClusterOptions.SessionStore"/>.</summary>
    internal static ISiloBuilder AddSessionStore(this ISiloBuilder silo, AgentHostClusterOptions options)
    {
        var store = options.SessionStoreConnectionString ?? options.ConnectionString;
        switch (options.SessionStore)
        {
            case SessionStoreProvider.Memory:
                silo.AddMemoryGrainStorage(AgentHostClusterOptions.StorageName);
                break;
            case SessionStoreProvider.Redis:
                silo.AddRedisGrainStorage(AgentHostClusterOptions.StorageName, o => o.ConfigurationOptions = ConfigurationOptions.Parse(store!));
                break;
            case SessionStoreProvider.PostgreSQL:
                // Orleans' OrleansStorage table and queries (deploy/orleans/postgresql: PostgreSQL-Main.sql, then PostgreSQL-Persistence.sql).
                silo.AddAdoNetGrainStorage(AgentHostClusterOptions.StorageName, o => { o.Invariant = PostgreSqlInvariant; o.ConnectionString = store; });
                break;
        }
        return silo;
    }

    /// <summary>The ADO.NET invariant Orleans maps to Npgsql's <c>NpgsqlFactory</c>.</summary>
    internal const string PostgreSqlInvariant = "Npgsql";
}
