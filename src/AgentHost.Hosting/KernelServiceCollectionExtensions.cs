using AgentHost.Llama.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Hosting;

/// <summary>Registers Semantic Kernel over the local model.</summary>
public static class KernelServiceCollectionExtensions
{
    /// <summary>
    /// Adds SK's Kernel and an <see cref="IChatCompletionService"/> bridged from the local <see cref="LlamaChatClient"/>.
    /// SK's own function-calling middleware (UseKernelFunctionInvocation) wraps the client, so
    /// FunctionChoiceBehavior.Auto() invokes kernel plugins. Call after AddLlamaChatClient.
    /// </summary>
    public static IKernelBuilder AddAgentHostKernel(this IServiceCollection services)
    {
        services.AddSingleton<IChatCompletionService>(sp =>
        {
            var client = new ChatClientBuilder(sp.GetRequiredKeyedService<IChatClient>(LlamaServiceCollectionExtensions.ModelChatClientKey))
                .UseKernelFunctionInvocation(sp.GetService<ILoggerFactory>())
                .UseOpenTelemetry(sourceName: "AgentHost.SemanticKernel")
                .Build(sp);
            return client.AsChatCompletionService(sp);
        });
        return services.AddKernel();
    }
}
