using AgentHost.Models.Tests.Infrastructure;

namespace AgentHost.Models.Tests;

public class DownloadProgressTests
{
    [Fact]
    public void RateMeter_UsesTheRecentWindow_AndEstimatesRemainingTime()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var meter = new TransferRateMeter(clock, TimeSpan.FromSeconds(5));

        meter.Record(1_000); // resumed bytes already on disk: the baseline, not transferred
        Assert.Equal(0, meter.BytesPerSecond);
        Assert.Null(meter.EstimateRemaining(1_000, 10_000));

        clock.Advance(TimeSpan.FromSeconds(1));
        meter.Record(2_000);
        Assert.Equal(1_000, meter.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(8), meter.EstimateRemaining(2_000, 10_000));
        Assert.Null(meter.EstimateRemaining(2_000, null));

        // Ten slow seconds later, the early fast second has left the window.
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            meter.Record(2_000 + (i + 1) * 100);
        }
        Assert.Equal(100, meter.BytesPerSecond, precision: 6);
    }

    [Fact]
    public void Reporter_ThrottlesByteReports_ButNotPhaseChanges()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var reports = new List<DownloadProgress>();
        var reporter = new DownloadProgressReporter(new SyncProgress<DownloadProgress>(reports.Add), "m.gguf", 2, 3, clock);

        reporter.Start(0, 1_000);
        reporter.Bytes(100, 1_000); // same instant: dropped
        clock.Advance(TimeSpan.FromMilliseconds(200));
        reporter.Bytes(300, 1_000);
        reporter.Phase(DownloadPhase.Completed, 1_000, 1_000);

        Assert.Equal([0L, 300L, 1_000L], reports.Select(r => r.BytesDone));
        var middle = reports[1];
        Assert.Equal(DownloadPhase.Downloading, middle.Phase);
        Assert.Equal(1_500, middle.BytesPerSecond, precision: 6);
        Assert.Equal(TimeSpan.FromSeconds(700 / 1_500.0), middle.Eta);
        Assert.Equal(0.3, middle.Fraction);
        Assert.Equal(("m.gguf", 2, 3), (middle.FileName, middle.FileIndex, middle.FileCount));
        Assert.Equal(DownloadPhase.Completed, reports[2].Phase);
    }

    [Theory]
    [InlineData("\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("W/\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("\"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3\"", null)] // a git blob SHA-1 (non-LFS file), not a SHA-256
    [InlineData("\"d41d8cd98f00b204e9800998ecf8427e-3\"", null)]
    [InlineData(null, null)]
    public void Sha256_IsTakenFromLinkedEtagOnlyWhenItIsOne(string? etag, string? expected) =>
        Assert.Equal(expected, RemoteFileMetadata.ParseSha256(etag));
}
