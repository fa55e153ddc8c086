using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Metrics;

/// <summary>Counts each request of an endpoint by the status it was answered with (0 when the client went away first).</summary>
internal static class RequestMetrics
{
    public static RequestDelegate Track(string endpoint, RequestDelegate next) => async context =>
    {
        var metrics = context.RequestServices.GetRequiredService<ServerMetrics>();
        metrics.RequestStarted();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            metrics.RequestFinished(endpoint, context.RequestAborted.IsCancellationRequested ? 0 : context.Response.StatusCode);
        }
    };
}
