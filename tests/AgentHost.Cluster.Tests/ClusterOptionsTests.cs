using AgentHost.Cluster.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster.Tests;

/// <summary>Cluster:* bound from configuration and validated, each problem naming its key.</summary>
public sealed class ClusterOptionsTests
{
    private static AgentHostClusterOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddAgentHostClusterOptions(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AgentHostClusterOptions>>().Value;
    }

    [Fact]
    public void Binds_every_key_from_the_Cluster_section()
    {
        var o = Bind(new()
        {
            ["Cluster:Provider"] = "Redis", ["Cluster:ConnectionString"] = "127.0.0.1:6379", ["Cluster:SessionStore"] = "Redis",
            ["Cluster:SiloPort"] = "12000", ["Cluster:GatewayPort"] = "31000", ["Cluster:ClusterId"] = "c1", ["Cluster:ServiceId"] = "s1",
            ["Cluster:Routing"] = "RoundRobin",
        });
        Assert.Equal((ClusterProvider.Redis, SessionStoreProvider.Redis, 12000, 31000, "c1", "s1", ClusterRouting.RoundRobin),
            (o.Provider, o.SessionStore, o.SiloPort, o.GatewayPort, o.ClusterId, o.ServiceId, o.Routing));
    }

    [Theory]
    [InlineData("Cluster:Provider", "Redis", "Cluster:ConnectionString is required with Cluster:Provider=Redis")]
    [InlineData("Cluster:Provider", "PostgreSQL", "Cluster:ConnectionString is required with Cluster:Provider=PostgreSQL")]
    [InlineData("Cluster:SessionStore", "PostgreSQL", "Cluster:SessionStoreConnectionString (or Cluster:ConnectionString) is required")]
    [InlineData("Cluster:AdvertisedAddress", "not-an-ip", "Cluster:AdvertisedAddress must be an IP address")]
    [InlineData("Cluster:GatewayPort", "11111", "Cluster:SiloPort and Cluster:GatewayPort must differ")]
    [InlineData("Cluster:SiloPort", "70000", "SiloPort")]
    [InlineData("Cluster:ClusterId", "", "Cluster:ClusterId must not be empty")]
    public void A_bad_key_is_refused_with_its_name(string key, string value, string message)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));
        Assert.Contains(message, ex.Message);
    }
}
