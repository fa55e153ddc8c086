using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Metrics;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>
/// 8 clients x 100 requests against 4 slots, streaming and not, with random client-side cancellations and abrupt
/// TCP disconnects (RST mid-stream). Afterwards: no slot or queue entry is left, nothing was logged as a failure,
/// every response that completed is well-formed, and memory after the first 20 requests per client stays flat.
/// </summary>
public sealed partial class LoadTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    [System.Text.RegularExpressions.GeneratedRegex("^Error AgentHost.Llama: llama.cpp: (graph_compute: ggml_backend_sched_graph_compute_async failed with error 1|process_ubatch: failed to compute graph, compute status: 1|llama_decode: failed to decode, ret = 2) $")]
    private static partial System.Text.RegularExpressions.Regex AbortedDecode();

    private const int Clients = 8;
    private const int RequestsPerClient = 100;
    private const int WarmupPerClient = 20;

    private static readonly string[] Prompts =
    [
        "Once upon a time", "Lily had a red ball", "The dog ran to the park", "Tom and Sue went to the beach",
        "There was a little bird", "Mom baked a big cake", "The sun was hot", "A boy found a shiny stone",
    ];

    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        var settings = TestModels.Stories(parallel: 4, context: 256);
        // The prompt-state cache keeps evicted conversations' KV states up to its byte budget (default 256 MiB), so 640
        // distinct requests grow it by megabytes by design: a 1 MiB budget keeps it in play, bounded, and leaves
        // "memory flat" a test of leaks.
        settings["Llama:PromptCacheMiB"] = "1";
        _server = await LoopbackServer.StartAsync(settings);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private enum Outcome { Completed, Cancelled, Disconnected }

    private sealed class Tally
    {
        public int Completed, CompletedStreams, Cancelled, Disconnected;
    }

    [Fact]
    public async Task EightClientsTimesHundredRequestsWithCancellationsAndDisconnects()
    {
        using var http = _server.CreateHttpClient();
        var tally = new Tally();

        await RunPhaseAsync(http, tally, 0, WarmupPerClient);
        await WaitForIdleAsync();
        var (managedBefore, privateBefore) = MeasureMemory();
        await RunPhaseAsync(http, tally, WarmupPerClient, RequestsPerClient);
        await WaitForIdleAsync();
        var (managedAfter, privateAfter) = MeasureMemory();

        output.WriteLine($"completed {tally.Completed} (streams {tally.CompletedStreams}), cancelled {tally.Cancelled}, disconnected {tally.Disconnected}");
        output.WriteLine($"managed {managedBefore >> 10} -> {managedAfter >> 10} KiB, private {privateBefore >> 10} -> {privateAfter >> 10} KiB");

        // Every kind of request happened, and every one was accounted for.
        Assert.Equal(Clients * RequestsPerClient, tally.Completed + tally.Cancelled + tally.Disconnected);
        Assert.True(tally.Completed > 400, $"completed {tally.Completed}");
        Assert.True(tally.CompletedStreams > 100, $"streams {tally.CompletedStreams}");
        Assert.True(tally.Cancelled > 30, $"cancelled {tally.Cancelled}");
        Assert.True(tally.Disconnected > 50, $"disconnected {tally.Disconnected}");

        // No leaked slot or queue entry: the engine is idle and says so over HTTP too.
        Assert.Equal(0, _server.Engine.BusySlots);
        Assert.Equal(0, _server.Engine.QueueLength);
        using var health = JsonDocument.Parse(await http.GetStringAsync("health"));
        Assert.Equal(4, health.RootElement.GetProperty("slots_idle").GetInt32());

        // Nothing failed on the server side (client disconnects are not failures). llama.cpp reports an aborted
        // decode (the engine aborts one when every request in it was cancelled) at its error level; that is the
        // cancellation working, so those three lines are the only ones allowed.
        var failures = _server.Logs.Entries.Where(e => !AbortedDecode().IsMatch(e)).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));

        // Memory flat: the 640 requests after warm-up leave the managed heap and the process's private memory
        // (native KV cache, samplers, grammars, buffers) where they were, within noise.
        var managedGrowth = managedAfter - managedBefore;
        var privateGrowth = privateAfter - privateBefore;
        Assert.True(managedGrowth < 8L << 20, $"managed heap grew {managedGrowth >> 10} KiB");
        Assert.True(privateGrowth < 32L << 20, $"private memory grew {privateGrowth >> 10} KiB");

        // And it still serves.
        using var after = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"user","content":"The end"}],"max_tokens":4}"""));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private async Task RunPhaseAsync(HttpClient http, Tally tally, int from, int to) =>
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var i = from; i < to; i++)
            {
                // Seeded per client and request: the same mix on every run.
                var rng = new Random(client * 1000 + i);
                var outcome = await OneRequestAsync(http, rng, tally);
                lock (tally)
                {
                    switch (outcome)
                    {
                        case Outcome.Completed: tally.Completed++; break;
                        case Outcome.Cancelled: tally.Cancelled++; break;
                        case Outcome.Disconnected: tally.Disconnected++; break;
                    }
                }
            }
        })));

    private async Task<Outcome> OneRequestAsync(HttpClient http, Random rng, Tally tally)
    {
        var stream = rng.Next(2) == 0;
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["messages"] = new[] { new { role = "user", content = Prompts[rng.Next(Prompts.Length)] } },
            ["max_tokens"] = rng.Next(4, 40),
            ["temperature"] = rng.Next(2) == 0 ? 0.0 : 0.9,
            ["seed"] = rng.Next(),
            ["stream"] = stream,
            ["stream_options"] = stream ? new { include_usage = true } : null!,
        }.Where(kv => kv.Value is not null).ToDictionary());
        var kind = rng.Next(100);
        if (kind < 15) return await DisconnectAsync(body, rng);

        using var cts = new CancellationTokenSource();
        var cancelling = kind < 30;
        if (cancelling) cts.CancelAfter(rng.Next(0, 40));
        try
        {
            using var response = await http.PostAsync("v1/chat/completions", Json(body), cts.Token);
            var text = await response.Content.ReadAsStringAsync(cts.Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            if (stream)
            {
                var (_, _, usage) = Stream(text, _server.ModelId);
                Assert.NotNull(usage);
                lock (tally) tally.CompletedStreams++;
            }
            else
            {
                using var document = JsonDocument.Parse(text);
                Completion(document.RootElement, _server.ModelId);
            }
            return Outcome.Completed;
        }
        catch (OperationCanceledException) when (cancelling && cts.IsCancellationRequested)
        {
            return Outcome.Cancelled;
        }
    }

    /// <summary>Sends the request on a raw socket, reads a little (or nothing), then resets the connection.</summary>
    private async Task<Outcome> DisconnectAsync(string body, Random rng)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port);
        var network = tcp.GetStream();
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{_server.BaseAddress.Port}\r\nAuthorization: Bearer {_server.ApiKey}\r\n" +
                   $"Content-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n";
        await network.WriteAsync(Encoding.ASCII.GetBytes(head));
        await network.WriteAsync(bytes);
        var toRead = rng.Next(3) switch { 0 => 0, 1 => 1, _ => 200 };
        var buffer = new byte[toRead];
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (read < toRead)
        {
            var n = await network.ReadAsync(buffer.AsMemory(read), timeout.Token);
            if (n == 0) break;
            read += n;
        }
        // RST instead of FIN: the server sees the connection die mid-request.
        tcp.Client.LingerState = new LingerOption(true, 0);
        tcp.Client.Close();
        return Outcome.Disconnected;
    }

    /// <summary>Cancelled requests free their slots on the decode thread; give it a bounded while to get there.</summary>
    private async Task WaitForIdleAsync()
    {
        var deadline = Stopwatch.StartNew();
        while ((_server.Engine.BusySlots > 0 || _server.Engine.QueueLength > 0 || _server.App.Services.GetRequiredService<ServerMetrics>().RequestsInFlight > 0)
               && deadline.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(50);
    }

    private static (long Managed, long Private) MeasureMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.PrivateMemorySize64);
    }
}
