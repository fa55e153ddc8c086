using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Models.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP server that behaves like Hugging Face: on one port the resolve endpoint
/// (<c>/OWNER/REPO/resolve/REVISION/PATH</c>) answers 302 to a second port, the file host, with X-Linked-Etag (quoted SHA-256),
/// X-Linked-Size, ETag and X-Repo-Commit; 404 with X-Error-Code for unknown files; 401 for gated repositories without the token.
/// The file host serves <c>/files/SHA/NAME</c> with Range support and counts the bytes it sends per request.
/// Knobs: ignore Range, corrupt a byte, pause (then continue or abort the connection) part-way through the next response.
/// </summary>
internal sealed class FakeHuggingFaceServer : IAsyncDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, HostedFile> _resolve = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostedFile> _blobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _gatedRepos = new(StringComparer.Ordinal);
    private ServeGate? _gate;
    private int _hubPort;

    private FakeHuggingFaceServer(WebApplication app) => _app = app;

    /// <summary>Base URL of the resolve endpoint (what HF_ENDPOINT would be).</summary>
    public Uri HubEndpoint { get; private set; } = null!;

    /// <summary>Base URL of the file host the hub redirects to.</summary>
    public Uri FileHost { get; private set; } = null!;

    /// <summary>The token gated repositories accept.</summary>
    public string AcceptedToken { get; set; } = "hf_test_token";

    /// <summary>The file host answers 200 with the whole file even when asked for a range.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>The file host flips the byte at this offset of every file it serves.</summary>
    public long? CorruptByteAt { get; set; }

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<RequestRecord> Requests { get; } = new();

    public IEnumerable<RequestRecord> FileHostRequests => Requests.Where(r => !r.ToHub);
    public IEnumerable<RequestRecord> HubRequests => Requests.Where(r => r.ToHub);

    public static async Task<FakeHuggingFaceServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var server = new FakeHuggingFaceServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();

        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).ToArray();
        server._hubPort = ports[0];
        server.HubEndpoint = new Uri($"http://127.0.0.1:{ports[0]}/");
        server.FileHost = new Uri($"http://127.0.0.1:{ports[1]}/");
        return server;
    }

    /// <summary>Publishes <paramref name="content"/> as OWNER/REPO/PATH at <paramref name="revision"/>; returns its SHA-256.</summary>
    public string AddFile(string repoId, string path, byte[] content, string revision = "main")
    {
        var file = new HostedFile(Path.GetFileName(path), content, Convert.ToHexStringLower(SHA256.HashData(content)));
        _resolve[$"{repoId}/resolve/{revision}/{path}"] = file;
        _blobs[file.Sha256] = file;
        return file.Sha256;
    }

    public void Gate(string repoId) => _gatedRepos[repoId] = true;

    /// <summary>A plain URL on the file host for content added with <see cref="AddFile"/> (no X-Linked headers there).</summary>
    public Uri FileUrl(string sha256, string name) => new(FileHost, $"files/{sha256}/{name}");

    /// <summary>The next file-host response pauses after <paramref name="afterBytes"/> body bytes until the gate is released.</summary>
    public ServeGate PauseNextResponse(long afterBytes)
    {
        var gate = new ServeGate(afterBytes);
        _gate = gate;
        return gate;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var toHub = context.Connection.LocalPort == _hubPort;
        var record = new RequestRecord(
            toHub, context.Request.Method, context.Request.Path.Value ?? "",
            context.Request.Headers.Range.ToString() is { Length: > 0 } range ? range : null,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null);
        Requests.Enqueue(record);
        if (toHub) HandleResolve(context);
        else await ServeFileAsync(context, record);
    }

    private void HandleResolve(HttpContext context)
    {
        var path = Uri.UnescapeDataString((context.Request.Path.Value ?? "").TrimStart('/'));
        var segments = path.Split('/');
        var repoId = segments.Length >= 2 ? $"{segments[0]}/{segments[1]}" : "";
        var response = context.Response;

        if (_gatedRepos.ContainsKey(repoId) && context.Request.Headers.Authorization != $"Bearer {AcceptedToken}")
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers["X-Error-Code"] = "GatedRepo";
            response.Headers["X-Error-Message"] = $"Access to model {repoId} is restricted.";
            return;
        }
        if (!_resolve.TryGetValue(path, out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.Headers["X-Error-Code"] = "EntryNotFound";
            response.Headers["X-Error-Message"] = "Entry not found";
            return;
        }

        response.StatusCode = StatusCodes.Status302Found;
        response.Headers.Location = FileUrl(file.Sha256, file.Name).AbsoluteUri;
        response.Headers["X-Linked-Etag"] = $"\"{file.Sha256}\"";
        response.Headers["X-Linked-Size"] = file.Content.Length.ToString(CultureInfo.InvariantCulture);
        response.Headers.ETag = $"\"{file.Sha256}\"";
        response.Headers["X-Repo-Commit"] = Commit;
    }

    private async Task ServeFileAsync(HttpContext context, RequestRecord record)
    {
        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/');
        if (segments.Length != 3 || segments[0] != "files" || !_blobs.TryGetValue(segments[1], out var file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var content = file.Content;
        if (CorruptByteAt is { } at)
        {
            content = (byte[])content.Clone();
            content[at] ^= 0xFF;
        }

        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = $"\"cdn-{file.Sha256[..16]}\"";
        long start = 0;
        var end = content.LongLength - 1;
        if (!IgnoreRange && TryParseRange(context.Request.Headers.Range.ToString(), out var from, out var to))
        {
            if (from >= content.LongLength)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{content.LongLength}";
                return;
            }
            start = from;
            end = Math.Min(to ?? end, end);
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{end}/{content.LongLength}";
        }
        response.ContentLength = end - start + 1;
        if (HttpMethods.IsHead(context.Request.Method)) return;

        var gate = Interlocked.Exchange(ref _gate, null);
        var position = start;
        while (position <= end)
        {
            var chunk = (int)Math.Min(64 * 1024, end - position + 1);
            if (gate is not null && !gate.Reached.Task.IsCompleted)
                chunk = (int)Math.Min(chunk, start + gate.AfterBytes - position);
            if (chunk > 0)
            {
                await response.Body.WriteAsync(content.AsMemory((int)position, chunk));
                record.AddServed(chunk);
                position += chunk;
            }
            if (gate is not null && !gate.Reached.Task.IsCompleted && position - start >= gate.AfterBytes)
            {
                await response.Body.FlushAsync();
                gate.Reached.TrySetResult();
                if (!await gate.Released.Task)
                {
                    context.Abort(); // the connection drops mid-file, as when a download is killed
                    return;
                }
            }
        }
    }

    private static bool TryParseRange(string header, out long from, out long? to)
    {
        from = 0;
        to = null;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal)) return false;
        var parts = header["bytes=".Length..].Split('-');
        if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out from)) return false;
        if (parts[1].Length > 0) to = long.Parse(parts[1], CultureInfo.InvariantCulture);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _gate?.Released.TrySetResult(false);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record HostedFile(string Name, byte[] Content, string Sha256);
}

/// <summary>One request as the server saw it, with the body bytes it sent back.</summary>
internal sealed class RequestRecord(bool toHub, string method, string path, string? range, string? authorization)
{
    private long _served;
    public bool ToHub { get; } = toHub;
    public string Method { get; } = method;
    public string Path { get; } = path;
    public string? Range { get; } = range;
    public string? Authorization { get; } = authorization;
    public long BytesServed => Interlocked.Read(ref _served);
    public void AddServed(long bytes) => Interlocked.Add(ref _served, bytes);
}

/// <summary>Pauses one response after <see cref="AfterBytes"/> body bytes; release with true to continue, false to drop the connection.</summary>
internal sealed class ServeGate(long afterBytes)
{
    public long AfterBytes { get; } = afterBytes;
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<bool> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
