namespace AgentHost.Models;

/// <summary>
/// Transfer rate over a sliding window, so the rate and ETA follow the current speed rather than the average since
/// the start, and bytes that were already on disk when a download resumed never count as transferred.
/// Callers sample a few times a second, so the window holds a few dozen samples.
/// </summary>
internal sealed class TransferRateMeter(TimeProvider timeProvider, TimeSpan window)
{
    private readonly List<(long Timestamp, long Bytes)> _samples = [];

    /// <summary>Records the byte count (of the file so far) at the current time.</summary>
    public void Record(long bytes)
    {
        var now = timeProvider.GetTimestamp();
        _samples.Add((now, bytes));
        // Keep the newest sample that is at least a window old as the baseline.
        while (_samples.Count > 2 && timeProvider.GetElapsedTime(_samples[1].Timestamp, now) >= window)
            _samples.RemoveAt(0);
    }

    /// <summary>Bytes per second across the window; 0 until two samples are apart in time.</summary>
    public double BytesPerSecond
    {
        get
        {
            if (_samples.Count < 2) return 0;
            var (firstTime, firstBytes) = _samples[0];
            var (lastTime, lastBytes) = _samples[^1];
            var seconds = timeProvider.GetElapsedTime(firstTime, lastTime).TotalSeconds;
            return seconds > 0 ? Math.Max(0, lastBytes - firstBytes) / seconds : 0;
        }
    }

    /// <summary>Time to transfer the rest at the current rate; null when the rate or the size is unknown.</summary>
    public TimeSpan? EstimateRemaining(long done, long? total)
    {
        var rate = BytesPerSecond;
        if (total is not { } size || rate <= 0) return null;
        return TimeSpan.FromSeconds(Math.Max(0, size - done) / rate);
    }
}
