namespace AgentHost.Models.Tests.Infrastructure;

/// <summary>An IProgress that runs the callback on the reporting thread, so a test sees each report before the pull goes on.</summary>
internal sealed class SyncProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks;
    public DateTimeOffset Now => start + TimeSpan.FromTicks(_ticks);
    public void Advance(TimeSpan by) => _ticks += by.Ticks;
    public override DateTimeOffset GetUtcNow() => Now;
    public override long GetTimestamp() => _ticks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}

internal static class Wait
{
    /// <summary>
    /// Waits for a condition another thread brings about. The deadline only keeps a broken test from hanging;
    /// nothing is asserted about how long it took.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Gave up waiting for: " + what);
            await Task.Delay(10);
        }
    }

    public static async Task<T> WithDeadline<T>(Task<T> task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromMinutes(1))) != task) throw new TimeoutException("Gave up waiting for: " + what);
        return await task;
    }

    public static async Task WithDeadline(Task task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromMinutes(1))) != task) throw new TimeoutException("Gave up waiting for: " + what);
        await task;
    }
}
