using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Structured;

/// <summary>Invokes a prompt function whose config.json requests a JSON-schema response format and parses its answer.</summary>
internal static class StructuredPrompt
{
    public static async Task<ToolResult<T>> InvokeAsync<T>(KernelFunction function, Kernel kernel, KernelArguments arguments, CancellationToken cancellationToken)
        where T : class
    {
        var result = await function.InvokeAsync(kernel, arguments, cancellationToken).ConfigureAwait(false);
        return StructuredOutput.Parse<T>(result.GetValue<object>()?.ToString(), $"{function.PluginName}.{function.Name}");
    }
}
