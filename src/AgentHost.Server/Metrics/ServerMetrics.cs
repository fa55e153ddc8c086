using System.Collections.Concurrent;
using System.Diagnostics;

namespace AgentHost.Server.Metrics;

/// <summary>
/// What the server counts itself (the engine counts tokens and slots): requests by endpoint and status, requests in
/// flight, and the tokens of chat responses over the time at least one chat request was in flight, which gives the
/// average generation throughput as llama-server reports it (predicted_tokens_seconds). Thread-safe.
/// </summary>
public sealed class ServerMetrics
{
    private readonly ConcurrentDictionary<(string Endpoint, int Status), long> _requests = new();
    private readonly Lock _busyLock = new();
    private int _generating;
    private long _busySince;
    private long _busyTicks;
    private long _completionTokens;
    private long _promptTokens;
    private int _inFlight;

    /// <summary>HTTP requests being served now.</summary>
    public int RequestsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>Requests answered, by endpoint name and HTTP status.</summary>
    public IReadOnlyDictionary<(string Endpoint, int Status), long> Requests => _requests;

    /// <summary>Completion tokens of finished chat responses.</summary>
    public long CompletionTokens => Interlocked.Read(ref _completionTokens);

    /// <summary>Prompt tokens (evaluated, not from cache) of finished chat responses.</summary>
    public long PromptTokensEvaluated => Interlocked.Read(ref _promptTokens);

    /// <summary>Seconds during which at least one chat request was in flight.</summary>
    public double GenerationBusySeconds
    {
        get
        {
            lock (_busyLock)
            {
                var ticks = _busyTicks + (_generating > 0 ? Stopwatch.GetTimestamp() - _busySince : 0);
                return (double)ticks / Stopwatch.Frequency;
            }
        }
    }

    /// <summary>Average completion tokens per second while busy (0 before the first response).</summary>
    public double GenerationTokensPerSecond => Rate(CompletionTokens);

    /// <summary>Average evaluated prompt tokens per second while busy.</summary>
    public double PromptTokensPerSecond => Rate(PromptTokensEvaluated);

    private double Rate(long tokens)
    {
        var seconds = GenerationBusySeconds;
        return seconds > 0 ? tokens / seconds : 0;
    }

    internal void RequestStarted() => Interlocked.Increment(ref _inFlight);

    internal void RequestFinished(string endpoint, int status)
    {
        Interlocked.Decrement(ref _inFlight);
        _requests.AddOrUpdate((endpoint, status), 1, (_, n) => n + 1);
    }

    /// <summary>Marks a chat request in flight until the returned scope is disposed.</summary>
    internal GenerationScope BeginGeneration()
    {
        lock (_busyLock)
        {
            if (_generating++ == 0) _busySince = Stopwatch.GetTimestamp();
        }
        return new GenerationScope(this);
    }

    internal void RecordTokens(int promptEvaluated, int completion)
    {
        Interlocked.Add(ref _promptTokens, Math.Max(0, promptEvaluated));
        Interlocked.Add(ref _completionTokens, Math.Max(0, completion));
    }

    private void EndGeneration()
    {
        lock (_busyLock)
        {
            if (--_generating == 0) _busyTicks += Stopwatch.GetTimestamp() - _busySince;
        }
    }

    internal readonly struct GenerationScope(ServerMetrics metrics) : IDisposable
    {
        public void Dispose() => metrics.EndGeneration();
    }
}
