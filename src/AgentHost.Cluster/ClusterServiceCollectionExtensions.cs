using AgentHost.Cluster.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Cluster;

/// <summary>Registers the cluster node: options from the "Cluster" section and the Orleans silo.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>Binds <see cref="AgentHostClusterOptions"/> from "Cluster" (validated at start, messages naming the key).</summary>
    public static OptionsBuilder<AgentHostClusterOptions> AddAgentHostClusterOptions(this IServiceCollection services, IConfiguration? configuration = null, Action<AgentHostClusterOptions>? configure = null)
    {
        var options = services.AddOptions<AgentHostClusterOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(AgentHostClusterOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        options.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentHostClusterOptions>, AgentHostClusterOptionsValidator>());
        return options;
    }

    /// <summary>
    /// Makes this host a cluster node: binds and validates <c>Cluster:*</c> now (a bad key stops the start with an
    /// <see cref="OptionsValidationException"/> naming it), and runs an Orleans silo with
    /// <see cref="ClusterSiloBuilderExtensions.AddAgentHostCluster"/>. The node's model comes from
    /// <c>AddLlamaChatClient</c>.
    /// </summary>
    public static AgentHostClusterOptions AddAgentHostCluster(this IHostApplicationBuilder builder, Action<AgentHostClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new AgentHostClusterOptions();
        builder.Configuration.GetSection(AgentHostClusterOptions.SectionName).Bind(options);
        configure?.Invoke(options);
        AgentHostClusterOptionsValidator.ThrowIfInvalid(options);
        builder.Services.AddAgentHostClusterOptions(builder.Configuration, configure);
        builder.UseOrleans(silo => silo.AddAgentHostCluster(options));
        return options;
    }
}
