namespace AgentHost.Cluster.Nodes;

/// <summary>The cluster's board of node summaries: each node posts its own and reads everyone's. In memory: a lost
/// board is rebuilt by the next round of posts.</summary>
public interface INodeRegistryGrain : IGrainWithIntegerKey
{
    Task<NodeSummary[]> PublishAsync(NodeSummary summary);

    Task<NodeSummary[]> GetAllAsync();
}
