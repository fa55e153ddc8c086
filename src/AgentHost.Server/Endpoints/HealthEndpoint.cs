using System.Text.Json;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Hosting;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Endpoints;

/// <summary>GET /health: 200 with the slot state once the model is loaded, 503 while it is loading (as llama-server).</summary>
internal static class HealthEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var readiness = context.RequestServices.GetRequiredService<ModelReadiness>();
        if (!readiness.IsReady)
        {
            await OpenAiErrorResponses.WriteAsync(context.Response, new OpenAiRequestException(StatusCodes.Status503ServiceUnavailable,
                readiness.Failure is { } failure ? $"The model failed to load: {failure.Message}" : "Loading model",
                "unavailable_error", null, "model_loading") { RetryAfterSeconds = 1 }).ConfigureAwait(false);
            return;
        }
        var engine = context.RequestServices.GetRequiredService<LlamaEngine>();
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = "ok",
            model = engine.ModelId,
            slots_idle = engine.SlotCount - engine.BusySlots,
            slots_processing = engine.BusySlots,
            queue_length = engine.QueueLength,
        }, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }
}
