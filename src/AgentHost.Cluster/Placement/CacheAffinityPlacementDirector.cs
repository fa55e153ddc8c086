using AgentHost.Cluster.Nodes;
using Orleans.Runtime.Placement;

namespace AgentHost.Cluster.Placement;

internal sealed class CacheAffinityPlacementDirector(ClusterView view) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint) return Task.FromResult(hint);
        var prefix = target.RequestContextData?.GetValueOrDefault(CacheAffinityPlacement.PrefixHashesKey) as long[];
        // The key names the conversation; a prompt grain's fresh key is in no node's list, so it falls through to the prefix.
        var conversation = target.GrainIdentity.Key.ToString();
        return Task.FromResult(view.Choose(silos, conversation, prefix));
    }
}

internal sealed class RoundRobinPlacementDirector : IPlacementDirector
{
    private int _next = -1;

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint) return Task.FromResult(hint);
        // Same order on every node, so turns walk the nodes in turn.
        var ordered = silos.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        var key = target.GrainIdentity.Key.ToString();
        var step = key.Contains('#')
            ? (uint)StableHash(Grains.RoundRobinKey.Conversation(key)) + (uint)Grains.RoundRobinKey.Turn(key)
            : (uint)Interlocked.Increment(ref _next);
        var i = (int)(step % (uint)ordered.Length);
        return Task.FromResult(ordered[i]);
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s) h = unchecked(h * 31 + c);
        return h & int.MaxValue;
    }
}
