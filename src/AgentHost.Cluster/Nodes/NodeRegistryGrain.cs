namespace AgentHost.Cluster.Nodes;

internal sealed class NodeRegistryGrain : Grain, INodeRegistryGrain
{
    private readonly Dictionary<SiloAddress, NodeSummary> _nodes = [];

    public Task<NodeSummary[]> PublishAsync(NodeSummary summary)
    {
        _nodes[summary.Silo] = summary;
        // A node silent for a minute has left (or died); placement also checks membership, this only bounds the board.
        var cutoff = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1);
        foreach (var stale in _nodes.Where(n => n.Value.PublishedAt < cutoff).Select(n => n.Key).ToList()) _nodes.Remove(stale);
        return GetAllAsync();
    }

    public Task<NodeSummary[]> GetAllAsync() => Task.FromResult(_nodes.Values.ToArray());
}
