using System.Text.Json;
using AgentHost.Server.Errors;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentHost.Server.Limits;

/// <summary>
/// Reads a JSON request body under <see cref="ServerOptions.MaxRequestBodyBytes"/>: a declared length over the limit
/// is refused before reading, a chunked body is counted as it arrives, and malformed or mistyped JSON is a 400
/// naming where it went wrong, as is a string that is not valid Unicode (invalid UTF-8, a lone surrogate escape).
/// </summary>
internal static class JsonRequestBodyReader
{
    public static async Task<T> ReadAsync<T>(HttpContext context, long maxBytes) where T : class
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > maxBytes) throw TooLarge(maxBytes);
        // Kestrel's own limit (30 MB by default) would otherwise answer first, with an empty 413.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = maxBytes + 1;

        // No RequestAborted here: Kestrel already ends a read when the connection dies, and cancelling a pending
        // body read through a token leaves the reader "in progress" so the request cannot be drained afterwards.
        var body = await ReadLimitedAsync(context, maxBytes).ConfigureAwait(false);
        if (body.Length == 0) throw OpenAiRequestException.BadRequest("The request body is empty; a JSON object is required.", null, "invalid_json");
        if (JsonStringValidator.FindInvalidString(body, OpenAiJson.Options.MaxDepth) is { } field)
            throw OpenAiRequestException.BadRequest(
                $"The JSON body has text that is not valid Unicode at '{(field.Length == 0 ? "(root)" : field)}': strings must be valid UTF-8, and \\uD800-\\uDFFF escapes must come in surrogate pairs.",
                field.Length == 0 ? null : field, "invalid_json");
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, OpenAiJson.Options);
        }
        catch (JsonException ex)
        {
            var param = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            throw OpenAiRequestException.BadRequest(
                $"We could not parse the JSON body of your request: {FirstLine(ex.Message)}", param, "invalid_json");
        }
        return value ?? throw OpenAiRequestException.BadRequest("The request body must be a JSON object, not null.", null, "invalid_json");
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContext context, long maxBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException)
        {
            // A body cut short or badly framed: in practice a client that gave up while sending. The connection
            // cannot carry another request, and Kestrel could not drain the broken body (it would log an error),
            // so it is closed here and the request ends as one whose client left.
            context.Abort();
            throw new ConnectionResetException("The client closed the connection while sending the request body.", ex);
        }
        return buffer.ToArray();
    }

    private static OpenAiRequestException TooLarge(long maxBytes) => new(StatusCodes.Status413PayloadTooLarge,
        $"The request body is larger than this server accepts ({maxBytes} bytes; Server:MaxRequestBodyBytes).",
        OpenAiRequestException.InvalidRequest, null, "request_too_large");

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
