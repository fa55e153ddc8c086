using System.Runtime.CompilerServices;
using AgentHost.Cluster.Grains;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Placement;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster.Routing;

/// <summary>
/// The entry to the cluster from any node or client: a turn of a conversation goes to its grain (wherever it is
/// active, or placed by <see cref="AgentHostClusterOptions.Routing"/>). Requests without a conversation id go
/// through <see cref="ClusterChatClient"/>.
/// </summary>
public sealed class ConversationRouter(IGrainFactory grains, IOptions<AgentHostClusterOptions> options)
{
    public ClusterRouting Routing { get; } = options.Value.Routing;

    /// <summary>The conversation's grain (cache affinity).</summary>
    public IConversationGrain Conversation(string id)
    {
        CheckId(id);
        return grains.GetGrain<IConversationGrain>(id);
    }

    /// <summary>Runs one turn. With <see cref="ClusterRouting.RoundRobin"/> (the baseline) the request must say its <see cref="TurnRequest.Turn"/>.</summary>
    public IAsyncEnumerable<TurnChunk> SendAsync(string conversationId, TurnRequest request, ClusterRouting? routing = null, CancellationToken cancellationToken = default)
    {
        CheckId(conversationId);
        ArgumentNullException.ThrowIfNull(request);
        if ((routing ?? Routing) != ClusterRouting.RoundRobin) return grains.GetGrain<IConversationGrain>(conversationId).SendAsync(request).WithCancellation(cancellationToken).AsEnumerable();
        if (request.Turn is not { } turn) throw new ArgumentException("Round-robin routing needs TurnRequest.Turn (the turn index) to rotate by.", nameof(request));
        return grains.GetGrain<IRoundRobinConversationGrain>(RoundRobinKey.For(conversationId, turn)).SendAsync(request).WithCancellation(cancellationToken).AsEnumerable();
    }

    private static void CheckId(string id)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("A conversation id must not be empty.", nameof(id));
        if (id.Length > 256) throw new ArgumentException($"A conversation id must be at most 256 characters, got {id.Length}.", nameof(id));
        if (id.Contains('#')) throw new ArgumentException("A conversation id must not contain '#'.", nameof(id));
    }
}

internal static class AsyncEnumerableExtensions
{
    public static async IAsyncEnumerable<T> AsEnumerable<T>(this ConfiguredCancelableAsyncEnumerable<T> source)
    {
        await foreach (var item in source) yield return item;
    }
}
