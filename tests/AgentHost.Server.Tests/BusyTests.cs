using System.Net;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>
/// One slot and a queue of one: with the slot taken and the queue full, a request is refused at once with 503,
/// Retry-After and an OpenAI-shaped error, streamed or not; once the load is gone, the server serves again.
/// </summary>
public sealed class BusyTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    // A long context, so the request holding the slot is still generating when the refused ones arrive.
    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(TestModels.Stories(parallel: 1, context: 16384, queueLimit: 1));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static GenerationRequest Endless() => new()
    {
        Prompt = "Once upon a time",
        MaxTokens = 16000,
        IgnoreEndOfGeneration = true,
        Sampling = new SamplerSettings { Temperature = 0 },
    };

    [Fact]
    public async Task QueueFullIs503WithRetryAfterAndTheServerRecovers()
    {
        var engine = _server.Engine;
        using var hold = new CancellationTokenSource();
        // Request A takes the only slot (its first token proves it was admitted) ...
        await using var holder = engine.GenerateAsync(Endless(), hold.Token).GetAsyncEnumerator(hold.Token);
        Assert.True(await holder.MoveNextAsync());
        // ... and B fills the queue of one (enqueued synchronously by the first MoveNextAsync).
        await using var queued = engine.GenerateAsync(Endless(), hold.Token).GetAsyncEnumerator(hold.Token);
        var queuedFirst = queued.MoveNextAsync().AsTask();
        Assert.Equal(1, engine.BusySlots);
        Assert.Equal(1, engine.QueueLength);

        using var http = _server.CreateHttpClient();
        using var refused = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":4}"""));
        await ErrorAsync(refused, HttpStatusCode.ServiceUnavailable, code: "server_busy");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);

        using var refusedStream = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":4,"stream":true}"""));
        await ErrorAsync(refusedStream, HttpStatusCode.ServiceUnavailable, code: "server_busy");
        Assert.NotNull(refusedStream.Headers.RetryAfter);

        // The refusals left the holder generating and the queue as it was.
        Assert.Equal(1, engine.BusySlots);
        Assert.Equal(1, engine.QueueLength);
        Assert.False(queuedFirst.IsCompleted);

        // Metrics saw the 503s.
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("agenthost_requests_total{endpoint=\"chat_completions\",code=\"503\"} 2", metrics);
        Assert.Contains("agenthost_queue_length 1", metrics);
        Assert.Contains("agenthost_busy_slots 1", metrics);

        hold.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queuedFirst);
        using var served = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":4}"""));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
