using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Filters;

/// <summary>
/// When the model calls a function as a tool and the call fails (bad or missing arguments, an argument that does not
/// convert), the model gets <c>{"ok":false,"error":"..."}</c> naming the problem, so it can correct the call or tell
/// the customer, instead of SK's generic "function failed". Other exceptions keep flowing.
/// </summary>
public sealed class ToolErrorFilter(ILogger<ToolErrorFilter>? logger = null) : IAutoFunctionInvocationFilter
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException or KernelException or InvalidOperationException)
        {
            var message = ex is PluginInputException ? ex.Message : $"{context.Function.PluginName}.{context.Function.Name} failed: {ex.Message}";
            _logger.LogInformation("Tool call {Plugin}.{Function} failed: {Message}", context.Function.PluginName, context.Function.Name, message);
            context.Result = new FunctionResult(context.Function, ToolResult<object>.Failure(message));
        }
    }
}
