using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentHost.Agents.Tools;

/// <summary>
/// A kernel function as an AIFunction that always runs on one kernel: SK would otherwise take a Kernel from the
/// invoker's service provider first, which is not scoped to the conversation's customer. The model sees it as
/// "Plugin_Function", the way SK's own function calling names it.
/// </summary>
public sealed class KernelBoundFunction(KernelFunction function, Kernel kernel) : DelegatingAIFunction(function.WithKernel(kernel))
{
    public override string Name { get; } = string.IsNullOrEmpty(function.PluginName) ? function.Name : $"{function.PluginName}_{function.Name}";

    /// <summary>"Plugin.Function", as configuration names it.</summary>
    public string QualifiedName { get; } = string.IsNullOrEmpty(function.PluginName) ? function.Name : $"{function.PluginName}.{function.Name}";

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        // SK looks for its Kernel in the arguments' services first: answer with the scoped one.
        var pinned = new AIFunctionArguments(arguments) { Services = new KernelOverride(arguments.Services, kernel), Context = arguments.Context };
        return base.InvokeCoreAsync(pinned, cancellationToken);
    }

    private sealed class KernelOverride(IServiceProvider? inner, Kernel kernel) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(Kernel) ? kernel : inner?.GetService(serviceType);
    }
}
