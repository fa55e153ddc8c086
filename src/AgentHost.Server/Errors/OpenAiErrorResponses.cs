using System.Text.Json;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Errors;

/// <summary>Writes OpenAI-shaped error responses, and wraps endpoints so that no exception escapes as a bare 500.</summary>
internal static class OpenAiErrorResponses
{
    public static async Task WriteAsync(HttpResponse response, OpenAiRequestException error)
    {
        response.StatusCode = error.StatusCode;
        if (error.RetryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (error.StatusCode == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = "Bearer";
        response.ContentType = "application/json";
        var body = new OpenAiErrorBody(new OpenAiErrorDetail(error.Message, error.Type, error.Param, error.Code));
        await response.WriteAsync(JsonSerializer.Serialize(body, OpenAiJson.Options)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="next"/>; an exception becomes the matching error response while nothing has been sent,
    /// and is swallowed when the client has gone (its request was cancelled), so the server keeps serving.
    /// </summary>
    public static RequestDelegate Wrap(RequestDelegate next) => async context =>
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsClientGone(context, ex))
        {
            // The client disconnected or cancelled; nobody is left to answer, and nothing went wrong here.
        }
        catch (Exception ex)
        {
            var options = context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value;
            var error = ExceptionMapping.ToOpenAiError(ex, options.BusyRetryAfterSeconds);
            if (error.StatusCode >= 500 && ex is not OpenAiRequestException)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentHost.Server")
                    .LogError(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted)
            {
                // Headers are gone (a stream had begun); the streaming endpoint reports its own errors in-band.
                context.Abort();
                return;
            }
            await WriteAsync(context.Response, error).ConfigureAwait(false);
        }
    };

    private static bool IsClientGone(HttpContext context, Exception ex) =>
        ex is ConnectionResetException
        || (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested);
}
