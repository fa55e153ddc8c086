using AgentHost.Llama.Engine;
using AgentHost.Server.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Endpoints;

/// <summary>GET /metrics in the Prometheus text format.</summary>
internal static class MetricsEndpoint
{
    public static Task HandleAsync(HttpContext context)
    {
        var text = PrometheusTextWriter.Write(context.RequestServices.GetRequiredService<LlamaEngine>(), context.RequestServices.GetRequiredService<ServerMetrics>());
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
