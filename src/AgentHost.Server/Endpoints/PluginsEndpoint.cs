using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Server.Errors;
using AgentHost.Server.Limits;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// GET /v1/plugins lists the kernel's functions with their parameter schemas; POST /v1/plugins/{plugin}/{function}
/// invokes one with the body's JSON object as its arguments and answers <c>{"plugin","function","result"}</c>.
/// The kernel is Semantic Kernel's from DI (AddAgentHostKernel), with the plugins registered there.
/// </summary>
internal static class PluginsEndpoint
{
    public static Task ListAsync(HttpContext context)
    {
        var kernel = RequireKernel(context);
        var data = kernel.Plugins.SelectMany(p => p.Select(f => new
        {
            plugin = p.Name,
            function = f.Name,
            description = f.Description,
            parameters = f.JsonSchema,
        })).ToList();
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { @object = "list", data }, OpenAiJson.Options), context.RequestAborted);
    }

    public static async Task InvokeAsync(HttpContext context)
    {
        var kernel = RequireKernel(context);
        var pluginName = (string)context.Request.RouteValues["plugin"]!;
        var functionName = (string)context.Request.RouteValues["function"]!;
        if (!kernel.Plugins.TryGetFunction(pluginName, functionName, out var function))
            throw OpenAiRequestException.NotFound($"No kernel function '{pluginName}.{functionName}'; GET /v1/plugins lists them.", null, "function_not_found");

        var options = context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        var arguments = new KernelArguments();
        if (context.Request.ContentLength is not 0)
        {
            // A body that is not an object fails to read as JsonObject: a 400 naming the problem.
            var args = await JsonRequestBodyReader.ReadAsync<JsonObject>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
            // SK converts a JsonNode to the parameter's type with System.Text.Json.
            foreach (var (name, value) in args) arguments[name] = value;
        }

        FunctionResult result;
        try
        {
            result = await kernel.InvokeAsync(function, arguments, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or KernelException && !context.RequestAborted.IsCancellationRequested)
        {
            // Missing or unconvertible arguments: the caller's to fix.
            throw OpenAiRequestException.BadRequest($"{pluginName}.{functionName}: {ex.Message}", null, "invalid_arguments");
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            plugin = pluginName,
            function = functionName,
            result = result.GetValue<object>(),
        }, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    private static Kernel RequireKernel(HttpContext context) =>
        context.RequestServices.GetService<Kernel>()
        ?? throw OpenAiRequestException.NotFound("This server has no Semantic Kernel (AddAgentHostKernel) and so no plugins.", null, "no_kernel");
}
