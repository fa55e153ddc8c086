using AgentHost.Cluster.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster.Nodes;

/// <summary>Posts this node's summary to the registry every <see cref="AgentHostClusterOptions.SummaryIntervalMs"/> and keeps the cluster's view.</summary>
internal sealed class NodeSummaryPublisher(IGrainFactory grains, LocalNode node, ClusterView view, IOptions<AgentHostClusterOptions> options, ILogger<NodeSummaryPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.SummaryIntervalMs);
        var registry = grains.GetGrain<INodeRegistryGrain>(0);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                view.Update(await registry.PublishAsync(node.Snapshot()).WaitAsync(stoppingToken));
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The registry moves when its node dies; placement uses the last view meanwhile.
                if (++failures == 3) logger.LogWarning(ex, "Publishing the node summary failed {Count} times in a row", failures);
            }
            try { await Task.Delay(interval, stoppingToken); } catch (OperationCanceledException) { break; }
        }
    }
}
