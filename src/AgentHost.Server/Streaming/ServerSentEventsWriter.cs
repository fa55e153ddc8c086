using System.Text.Json;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentHost.Server.Streaming;

/// <summary>
/// Writes an OpenAI-style server-sent-event stream: <c>data: {json}</c> events, each flushed at once (a token is
/// useful only when the client sees it), closed by <c>data: [DONE]</c>.
/// </summary>
internal sealed class ServerSentEventsWriter(HttpResponse response)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        // Reverse proxies (nginx) would otherwise buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteAsync<T>(T payload, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(payload, OpenAiJson.Options);
        var body = response.Body;
        await body.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A named event (<c>event: NAME</c> then <c>data: {json}</c>), the framing Anthropic's streams use.</summary>
    public async Task WriteEventAsync<T>(string eventName, T payload, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes("event: " + eventName + "\n"), cancellationToken).ConfigureAwait(false);
        await WriteAsync(payload, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteDoneAsync(CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Done, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An error after the stream began: OpenAI's error object as one more event (the status is already 200).</summary>
    public Task WriteErrorAsync(OpenAiErrorDetail error, CancellationToken cancellationToken) =>
        WriteAsync(new OpenAiErrorBody(error), cancellationToken);
}
