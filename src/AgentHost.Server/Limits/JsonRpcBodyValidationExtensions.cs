using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Limits;

/// <summary>
/// Gives endpoints whose bodies another library parses (MapMcp's JSON-RPC) the server's body checks: a body over
/// Server:MaxRequestBodyBytes is a 413, and a string that is not valid Unicode (invalid UTF-8, a lone surrogate
/// escape) is a 400 naming the field, as a JSON-RPC parse error — the SDK would otherwise read it with
/// replacement characters.
/// </summary>
public static class JsonRpcBodyValidationExtensions
{
    /// <summary>Checks each POST body before the endpoint reads it (the body is buffered and rewound).</summary>
    public static TBuilder RejectInvalidJsonText<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            if (endpoint.RequestDelegate is not { } next) return;
            endpoint.RequestDelegate = async context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    await next(context).ConfigureAwait(false);
                    return;
                }
                var maxBytes = context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.MaxRequestBodyBytes;
                if (context.Request.ContentLength is { } declared && declared > maxBytes)
                {
                    await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, -32600, $"The request body is larger than this server accepts ({maxBytes} bytes; Server:MaxRequestBodyBytes).").ConfigureAwait(false);
                    return;
                }
                context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: maxBytes);
                using var buffer = new MemoryStream();
                try
                {
                    await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                }
                catch (IOException) when (!context.RequestAborted.IsCancellationRequested)
                {
                    await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, -32600, $"The request body is larger than this server accepts ({maxBytes} bytes; Server:MaxRequestBodyBytes).").ConfigureAwait(false);
                    return;
                }
                context.Request.Body.Position = 0;
                if (JsonStringValidator.FindInvalidString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), 64) is { } field)
                {
                    await WriteAsync(context, StatusCodes.Status400BadRequest, -32700,
                        $"Parse error: the JSON body has text that is not valid Unicode at '{(field.Length == 0 ? "(root)" : field)}' (strings must be valid UTF-8, and \\uD800-\\uDFFF escapes must come in surrogate pairs).").ConfigureAwait(false);
                    return;
                }
                await next(context).ConfigureAwait(false);
            };
        });
        return builder;
    }

    private static Task WriteAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = (object?)null, error = new { code, message } }));
    }
}
