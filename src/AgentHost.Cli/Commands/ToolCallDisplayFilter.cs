using System.Text.Json;
using Microsoft.SemanticKernel;

namespace AgentHost.Cli.Commands;

/// <summary>
/// Shows each tool call the model makes, and what it gets back, on <paramref name="output"/> (stderr in the CLI, so
/// stdout keeps only the assistant's text).
/// </summary>
internal sealed class ToolCallDisplayFilter(TextWriter output, int maxResultCharacters = 400) : IAutoFunctionInvocationFilter
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var arguments = context.Arguments is null ? "" : JsonSerializer.Serialize(context.Arguments.ToDictionary(a => a.Key, a => a.Value), Json);
        output.WriteLine($"[tool call] {context.Function.PluginName}.{context.Function.Name} {arguments}");
        await next(context).ConfigureAwait(false);
        var value = context.Result.GetValue<object>();
        if (value is ChatMessageContent message) value = message.Content; // a prompt function's reply
        var text = value as string ?? (value is null ? "" : JsonSerializer.Serialize(value, value.GetType(), Json));
        if (text.Length > maxResultCharacters) text = string.Concat(text.AsSpan(0, maxResultCharacters), "…");
        output.WriteLine($"[tool result] {text.ReplaceLineEndings(" ")}");
    }
}
