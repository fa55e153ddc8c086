using System.Diagnostics;
using System.Text.Json;
using AgentHost.Server.Metrics;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static AgentHost.Server.Tests.Responses.ResponsesServerFixture;

namespace AgentHost.Server.Tests.Responses;

/// <summary>
/// 20 concurrent sessions × 10 turns over HTTP on stories260K: half are conversations, half previous_response_id
/// chains. Every turn's input carries a session-unique marker; afterwards every turn is read back (conversation
/// items, stored responses and their input items), each session holds only its own markers in order, and memory
/// after warm-up stays flat.
/// </summary>
public sealed class ResponsesLoadTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sessions = 20;
    private const int Turns = 10;
    private const int WarmupTurns = 3;
    private LoopbackServer _server = null!;
    private readonly string _directory = TestAssets.NewTempDir("responses-load");

    public async Task InitializeAsync()
    {
        var settings = TestModels.Stories(parallel: 4, context: 1024);
        foreach (var (k, v) in AgentSettings(_directory)) settings[k] = v;
        _server = await StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class SessionState(int index)
    {
        public int Index { get; } = index;
        public bool IsConversation => Index % 2 == 0;
        public string? ConversationId { get; set; }
        public string? LastResponseId { get; set; }
        public List<string> ResponseIds { get; } = [];
        public string Marker(int turn) => $"S{Index:D2}T{turn:D2} tale";
    }

    [Fact]
    public async Task TwentySessionsTimesTenTurnsStoredUnmixedMemoryFlat()
    {
        using var http = _server.CreateHttpClient();
        var sessions = Enumerable.Range(0, Sessions).Select(i => new SessionState(i)).ToList();
        foreach (var s in sessions.Where(s => s.IsConversation))
            s.ConversationId = (await PostAsync(http, "v1/conversations", JsonSerializer.Serialize(new { metadata = new { session = s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) } }))).Body.GetProperty("id").GetString();

        var clock = Stopwatch.StartNew();
        await RunTurnsAsync(http, sessions, 0, WarmupTurns);
        await WaitForIdleAsync();
        var (managedBefore, privateBefore) = MeasureMemory();
        await RunTurnsAsync(http, sessions, WarmupTurns, Turns);
        await WaitForIdleAsync();
        var (managedAfter, privateAfter) = MeasureMemory();
        output.WriteLine($"{Sessions * Turns} turns in {clock.Elapsed.TotalSeconds:F1} s; managed {managedBefore >> 10} -> {managedAfter >> 10} KiB, private {privateBefore >> 10} -> {privateAfter >> 10} KiB");

        foreach (var s in sessions)
        {
            Assert.Equal(Turns, s.ResponseIds.Count);
            // Every response is stored, with the turn's own input.
            for (var t = 0; t < Turns; t++)
            {
                var (status, stored) = await SendAsync(http, HttpMethod.Get, $"v1/responses/{s.ResponseIds[t]}");
                Assert.True(status == 200, stored.ToString());
                Assert.Equal(t == 0 || s.IsConversation ? null : s.ResponseIds[t - 1], stored.GetProperty("previous_response_id").GetString());
                var (_, input) = await SendAsync(http, HttpMethod.Get, $"v1/responses/{s.ResponseIds[t]}/input_items");
                Assert.Equal(s.Marker(t), input.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text").GetString());
            }
            if (!s.IsConversation) continue;
            // The conversation's agent session holds its ten turns, in order, and nothing of any other session.
            var (itemsStatus, items) = await SendAsync(http, HttpMethod.Get, $"v1/conversations/{s.ConversationId}/items");
            Assert.Equal(200, itemsStatus);
            var data = items.GetProperty("data").EnumerateArray().ToList();
            var userTexts = data.Where(i => i.GetProperty("type").GetString() == "message" && i.GetProperty("role").GetString() == "user")
                .Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()).ToList();
            Assert.Equal(Enumerable.Range(0, Turns).Select(s.Marker), userTexts);
            Assert.Equal(Turns, data.Count(i => i.GetProperty("type").GetString() == "message" && i.GetProperty("role").GetString() == "assistant"));
        }

        // The chains' last turn saw its whole chain: more input than the first turn by at least nine turns' markers.
        foreach (var s in sessions.Where(s => !s.IsConversation))
        {
            var first = (await SendAsync(http, HttpMethod.Get, $"v1/responses/{s.ResponseIds[0]}")).Body.GetProperty("usage").GetProperty("input_tokens").GetInt32();
            var last = (await SendAsync(http, HttpMethod.Get, $"v1/responses/{s.ResponseIds[^1]}")).Body.GetProperty("usage").GetProperty("input_tokens").GetInt32();
            Assert.True(last > first * 3, $"session {s.Index}: last turn input {last}, first {first}");
        }

        var listed = (await SendAsync(http, HttpMethod.Get, "v1/conversations")).Body.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToHashSet();
        Assert.Superset(listed, sessions.Where(s => s.IsConversation).Select(s => s.ConversationId).ToHashSet());

        Assert.Equal(0, _server.Engine.BusySlots);
        Assert.Equal(0, _server.Engine.QueueLength);
        Assert.True(_server.Logs.Entries.Count == 0, string.Join("\n", _server.Logs.Entries.Take(5)));
        var managedGrowth = managedAfter - managedBefore;
        var privateGrowth = privateAfter - privateBefore;
        Assert.True(managedGrowth < 16L << 20, $"managed heap grew {managedGrowth >> 10} KiB");
        Assert.True(privateGrowth < 64L << 20, $"private memory grew {privateGrowth >> 10} KiB");
    }

    private async Task RunTurnsAsync(HttpClient http, List<SessionState> sessions, int from, int to) =>
        await Task.WhenAll(sessions.Select(s => Task.Run(async () =>
        {
            for (var t = from; t < to; t++)
            {
                var body = s.IsConversation
                    ? JsonSerializer.Serialize(new { model = _server.ModelId, input = s.Marker(t), conversation = s.ConversationId, max_output_tokens = 4 })
                    : JsonSerializer.Serialize(new { model = _server.ModelId, input = s.Marker(t), previous_response_id = s.LastResponseId, max_output_tokens = 4 });
                var (status, response) = await PostAsync(http, "v1/responses", body);
                Assert.True(status == 200, $"session {s.Index} turn {t}: {status} {response}");
                s.LastResponseId = response.GetProperty("id").GetString();
                s.ResponseIds.Add(s.LastResponseId!);
            }
        })));

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
