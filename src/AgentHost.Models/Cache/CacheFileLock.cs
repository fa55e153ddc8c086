using System.Diagnostics;

namespace AgentHost.Models;

/// <summary>
/// An exclusive lock held by keeping a file open with <see cref="FileShare.None"/>. On Linux and macOS .NET backs this with
/// flock(2), on Windows with a sharing violation, so it excludes other processes as well as other handles in this one,
/// and the operating system releases it if the holder dies.
/// </summary>
internal sealed class CacheFileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _stream;

    private CacheFileLock(FileStream stream) => _stream = stream;

    /// <summary>The lock if it is free now; null if another holder has it.</summary>
    public static CacheFileLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new CacheFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            return null;
        }
    }

    /// <summary>Waits for the lock, calling <paramref name="onWait"/> once if it has to wait.</summary>
    /// <exception cref="TimeoutException">The lock was not free within <paramref name="timeout"/>.</exception>
    public static async Task<CacheFileLock> AcquireAsync(string path, TimeSpan timeout, Action? onWait, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var notified = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path) is { } acquired) return acquired;
            if (timeout != Timeout.InfiniteTimeSpan && waited.Elapsed >= timeout)
                throw new TimeoutException($"The lock {path} was still held by another process after {timeout}.");
            if (!notified)
            {
                notified = true;
                onWait?.Invoke();
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Blocking variant for the short critical sections around the index.</summary>
    public static CacheFileLock Acquire(string path, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (TryAcquire(path) is { } acquired) return acquired;
            if (waited.Elapsed >= timeout)
                throw new TimeoutException($"The lock {path} was still held by another process after {timeout}.");
            Thread.Sleep(PollInterval);
        }
    }

    /// <summary>
    /// True when opening failed only because someone else holds the file: EWOULDBLOCK from flock on Linux (11) and
    /// macOS (35), or a sharing/lock violation on Windows. Other errors (permissions, missing disk) are real failures.
    /// </summary>
    private static bool IsHeldElsewhere(IOException e)
    {
        if (e is FileNotFoundException or DirectoryNotFoundException or PathTooLongException) return false;
        if (OperatingSystem.IsWindows()) return (e.HResult & 0xFFFF) is 32 or 33;
        return e.HResult is 11 or 35;
    }

    public void Dispose() => _stream.Dispose();
}
