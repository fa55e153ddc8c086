using AgentHost.Llama.Engine;
using AgentHost.Plugins;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TranslationService;

/// <summary>
/// Turns failures into RFC 7807 problem responses that say what to fix: bad input (including unreadable JSON) is
/// 400, a body over the limit 413, a full engine queue 503; anything else is a 500 without internals.
/// </summary>
public sealed class ErrorHandler(IProblemDetailsService problems, ILogger<ErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            PluginInputException e => (StatusCodes.Status400BadRequest, "Invalid request", e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => (StatusCodes.Status413PayloadTooLarge, "Request body too large", e.Message),
            BadHttpRequestException e => (e.StatusCode, "Invalid request", Describe(e)),
            EngineBusyException e => (StatusCodes.Status503ServiceUnavailable, "Busy", e.Message),
            _ => (StatusCodes.Status500InternalServerError, "Translation failed", "The server could not complete the request."),
        };
        if (status >= 500 && exception is not EngineBusyException) logger.LogError(exception, "Request {Path} failed.", context.Request.Path);
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>The JSON error inside a binding failure ("… is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 1").</summary>
    private static string Describe(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json ? $"{e.Message} {json.Message}" : e.Message;
}
