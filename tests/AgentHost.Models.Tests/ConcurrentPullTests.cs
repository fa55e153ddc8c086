using AgentHost.Models.Tests.Infrastructure;

namespace AgentHost.Models.Tests;

/// <summary>The per-file lock: concurrent pulls of one file download it once; removal waits for no one.</summary>
public class ConcurrentPullTests
{
    private static readonly ModelReference Stories = ModelReference.Parse(DownloadTestContext.Reference);

    [Fact]
    public async Task TwoConcurrentPulls_DownloadOnce_AndBothGetTheOneCorrectFile()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var gate = test.Server.PauseNextResponse(test.Model.Length / 2);
        var secondIsWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // First pull holds the lock and is mid-file when the second starts.
        var first = test.Downloader().PullAsync(Stories);
        await Wait.WithDeadline(gate.Reached.Task, "the first pull to be mid-file");
        var second = test.Downloader().PullAsync(Stories, new SyncProgress<DownloadProgress>(p =>
        {
            if (p.Phase == DownloadPhase.WaitingForLock) secondIsWaiting.TrySetResult();
        }));
        await Wait.WithDeadline(secondIsWaiting.Task, "the second pull to wait for the lock");
        Assert.False(second.IsCompleted);
        gate.Released.SetResult(true);

        var paths = await Wait.WithDeadline(Task.WhenAll(first, second), "both pulls");

        Assert.Equal(test.FinalPath, paths[0]);
        Assert.Equal(test.FinalPath, paths[1]);
        Assert.Equal(test.Model, await File.ReadAllBytesAsync(test.FinalPath));
        var download = Assert.Single(test.Server.FileHostRequests);
        Assert.Equal(test.Model.Length, download.BytesServed);
        Assert.Equal([DownloadTestContext.FileName], Directory.GetFiles(Path.GetDirectoryName(test.FinalPath)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ManyConcurrentPulls_WithoutCoordination_EndWithOneCorrectFile()
    {
        await using var test = await DownloadTestContext.StartAsync();

        var paths = await Wait.WithDeadline(
            Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => test.Downloader().PullAsync(Stories)))), "four pulls");

        Assert.All(paths, p => Assert.Equal(test.FinalPath, p));
        Assert.Equal(test.Model, await File.ReadAllBytesAsync(test.FinalPath));
        Assert.Equal(test.Model.Length, test.Server.FileHostRequests.Sum(r => r.BytesServed));
        Assert.False(File.Exists(test.PartialPath));
    }

    [Fact]
    public async Task LockHeldLongerThanTheWaitLimit_IsALockTimeout()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var gate = test.Server.PauseNextResponse(1000);
        var first = test.Downloader().PullAsync(Stories);
        await Wait.WithDeadline(gate.Reached.Task, "the first pull to hold the lock");
        var impatient = test.Options();
        impatient.LockWaitTimeout = TimeSpan.Zero;

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader(impatient).PullAsync(Stories));

        Assert.Equal(ModelDownloadErrorKind.LockTimeout, error.Kind);
        Assert.Contains("Another process", error.Message);
        gate.Released.SetResult(true);
        Assert.Equal(test.FinalPath, await first);
    }

    [Fact]
    public async Task Remove_RefusesWhileTheModelIsBeingDownloaded()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var gate = test.Server.PauseNextResponse(1000);
        var pull = test.Downloader().PullAsync(Stories);
        await Wait.WithDeadline(gate.Reached.Task, "the pull to hold the lock");

        var error = Assert.Throws<InvalidOperationException>(() => test.Cache().Remove(Stories));

        Assert.Contains("being downloaded", error.Message);
        gate.Released.SetResult(true);
        await pull;
        Assert.True(test.Cache().Remove(Stories));
        Assert.False(File.Exists(test.FinalPath));
    }
}
