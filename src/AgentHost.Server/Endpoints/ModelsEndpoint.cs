using System.Text.Json;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Endpoints;

/// <summary>GET /v1/models and GET /v1/models/{id}: the one loaded model, dated by its file.</summary>
internal static class ModelsEndpoint
{
    public static Task ListAsync(HttpContext context)
    {
        var model = Describe(context.RequestServices.GetRequiredService<LlamaEngine>());
        return WriteAsync(context, new ModelListResponse { Data = [model] });
    }

    public static Task GetAsync(HttpContext context)
    {
        var model = Describe(context.RequestServices.GetRequiredService<LlamaEngine>());
        var id = context.Request.RouteValues["id"] as string;
        if (!string.Equals(id, model.Id, StringComparison.Ordinal))
            throw OpenAiRequestException.NotFound($"The model '{id}' does not exist; this server serves '{model.Id}'.", "model", "model_not_found");
        return WriteAsync(context, model);
    }

    private static ModelDto Describe(LlamaEngine engine) => new()
    {
        Id = engine.ModelId,
        Created = new DateTimeOffset(File.GetLastWriteTimeUtc(engine.Model.Path)).ToUnixTimeSeconds(),
    };

    private static Task WriteAsync<T>(HttpContext context, T body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, OpenAiJson.Options), context.RequestAborted);
    }
}
