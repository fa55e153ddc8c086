using System.Collections.Concurrent;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Tests.Support;

/// <summary>Records every prompt SK renders; optionally answers in place of the model so no service is needed.</summary>
public sealed class RenderCapture(string? shortCircuitAnswer = null) : IPromptRenderFilter
{
    public ConcurrentQueue<(string Function, string Prompt)> Rendered { get; } = new();

    public async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        await next(context);
        Rendered.Enqueue(($"{context.Function.PluginName}.{context.Function.Name}", context.RenderedPrompt!));
        if (shortCircuitAnswer is not null) context.Result = new FunctionResult(context.Function, shortCircuitAnswer);
    }
}
