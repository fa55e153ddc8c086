using AgentHost.Plugins.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Plugins.Tests.Support;

/// <summary>A kernel with the AgentHost plugins over a scripted chat client, as AddAgentHostKernel wires a real one.</summary>
public sealed class PluginHost : IDisposable
{
    private readonly ServiceProvider _services;

    public PluginHost(IChatClient client, ITokenCounter? tokens = null, Action<AgentHostPluginOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        Directory = TestAssets.NewTempDir("plugins");
        var collection = new ServiceCollection();
        collection.AddLogging();
        // The same composition as AddAgentHostKernel: SK's function-invoking middleware over the client.
        collection.AddSingleton<IChatCompletionService>(_ => new ChatClientBuilder(client).UseKernelFunctionInvocation().Build().AsChatCompletionService());
        collection.AddKernel();
        if (tokens is not null) collection.AddSingleton(tokens);
        services?.Invoke(collection);
        collection.AddAgentHostPlugins(configure: o =>
        {
            o.CustomerService.DatabasePath = Path.Combine(Directory, "support.db");
            configure?.Invoke(o);
        });
        _services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Kernel = _services.GetRequiredService<Kernel>();
    }

    public string Directory { get; }
    public Kernel Kernel { get; }
    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public void Dispose() => _services.Dispose();
}
