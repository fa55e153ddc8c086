using System.Text.Json;
using AgentHost.Llama.Engine;
using AgentHost.Server.Hosting;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// GET /v1/models and GET /v1/models/{id}: the one loaded model, dated by its file, with its aliases. An id is
/// resolved as a request's <c>model</c> is (<see cref="ModelNames"/>): any name unless Server:StrictModelNames.
/// </summary>
internal static class ModelsEndpoint
{
    public static Task ListAsync(HttpContext context)
    {
        var model = Describe(context.RequestServices);
        return WriteAsync(context, new ModelListResponse { Data = [model] });
    }

    public static Task GetAsync(HttpContext context)
    {
        context.RequestServices.GetRequiredService<ModelNames>().Resolve(context.Request.RouteValues["id"] as string);
        return WriteAsync(context, Describe(context.RequestServices));
    }

    private static ModelDto Describe(IServiceProvider services)
    {
        var engine = services.GetRequiredService<LlamaEngine>();
        var names = services.GetRequiredService<ModelNames>();
        return new ModelDto
        {
            Id = names.ServedId,
            Created = new DateTimeOffset(File.GetLastWriteTimeUtc(engine.Model.Path)).ToUnixTimeSeconds(),
            Aliases = names.Aliases.Count > 0 ? names.Aliases : null,
        };
    }

    private static Task WriteAsync<T>(HttpContext context, T body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, OpenAiJson.Options), context.RequestAborted);
    }
}
