using System.Text.Json;
using System.Text.RegularExpressions;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Errors;

/// <summary>
/// Anthropic-shaped errors for the Messages endpoints: <c>{"type":"error","error":{"type":...,"message":...}}</c>
/// with Anthropic's error types for each status. The same exceptions as the OpenAI endpoints (request reading,
/// mapping, the engine) are mapped by <see cref="ExceptionMapping"/>; only the body differs.
/// </summary>
internal static partial class AnthropicErrorResponses
{
    /// <summary>Anthropic's status for an overloaded server (its SDKs retry it, honouring Retry-After).</summary>
    public const int Overloaded = 529;

    public static AnthropicErrorDetail ToDetail(OpenAiRequestException error) => new(ErrorType(error.StatusCode), Message(error));

    public static int StatusCode(OpenAiRequestException error) => error.StatusCode == StatusCodes.Status503ServiceUnavailable ? Overloaded : error.StatusCode;

    public static async Task WriteAsync(HttpResponse response, OpenAiRequestException error)
    {
        response.StatusCode = StatusCode(error);
        if (error.RetryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.ContentType = "application/json";
        await response.WriteAsync(JsonSerializer.Serialize(new AnthropicErrorBody(ToDetail(error)), OpenAiJson.Options)).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="OpenAiErrorResponses.Wrap"/>, writing Anthropic's error body.</summary>
    public static RequestDelegate Wrap(RequestDelegate next) => async context =>
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConnectionResetException || (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested))
        {
            // The client left; nobody to answer.
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
                context.Abort();
                return;
            }
            await WriteAsync(context.Response, error).ConfigureAwait(false);
        }
    };

    private static string ErrorType(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or Overloaded => "overloaded_error",
        _ when status < 500 => "invalid_request_error",
        _ => "api_error",
    };

    /// <summary>The message, prefixed with the field in Anthropic's dotted form when it does not already start with it.</summary>
    private static string Message(OpenAiRequestException error)
    {
        if (error.StatusCode == StatusCodes.Status401Unauthorized)
            return error.Code == "missing_api_key" ? "x-api-key header is required (or Authorization: Bearer)" : "invalid x-api-key";
        if (error.Param is not { Length: > 0 } param) return error.Message;
        var field = Indexer().Replace(param, ".$1");
        return error.Message.StartsWith(field + ":", StringComparison.Ordinal) ? error.Message : $"{field}: {error.Message}";
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Indexer();
}
