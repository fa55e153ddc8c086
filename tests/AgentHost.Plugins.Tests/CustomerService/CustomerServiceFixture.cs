using AgentHost.Plugins.CustomerService.Storage;
using AgentHost.Plugins.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentHost.Plugins.Tests.CustomerService;

/// <summary>A plugin host over a fresh SQLite file seeded with the sample orders and the sample knowledge base.</summary>
internal static class CustomerServiceHost
{
    public static readonly string SampleOrders = Path.Combine(TestAssets.RepoRoot, "samples", "CustomerServiceBot", "data", "orders.json");

    public static async Task<PluginHost> CreateAsync(IChatClient client)
    {
        var host = new PluginHost(client, configure: o => o.CustomerService.KnowledgeBaseDirectory = KnowledgeTests.SampleKnowledge);
        await OrderImport.ImportJsonAsync(SampleOrders, host.Get<OrderRepository>());
        return host;
    }
}
