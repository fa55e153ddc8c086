namespace AgentHost.Models;

/// <summary>
/// Turns byte counts of one file into <see cref="DownloadProgress"/> reports, throttled so a fast download does not
/// flood the consumer (a console progress bar redraws far less often than a socket delivers chunks).
/// </summary>
internal sealed class DownloadProgressReporter
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly IProgress<DownloadProgress>? _sink;
    private readonly string _fileName;
    private readonly int _fileIndex;
    private readonly int _fileCount;
    private readonly TimeProvider _time;
    private readonly TransferRateMeter _meter;
    private long? _lastReport;

    public DownloadProgressReporter(IProgress<DownloadProgress>? sink, string fileName, int fileIndex, int fileCount, TimeProvider time)
    {
        _sink = sink;
        _fileName = fileName;
        _fileIndex = fileIndex;
        _fileCount = fileCount;
        _time = time;
        _meter = new TransferRateMeter(time, RateWindow);
    }

    /// <summary>Reports a phase change immediately.</summary>
    public void Phase(DownloadPhase phase, long done, long? total) => Send(phase, done, total);

    /// <summary>Marks where the transfer starts (after any resumed bytes) so the rate counts only new bytes.</summary>
    public void Start(long done, long? total)
    {
        if (_sink is null) return;
        _meter.Record(done);
        Send(DownloadPhase.Downloading, done, total);
    }

    /// <summary>Records progress and reports it, unless the last report is too recent.</summary>
    public void Bytes(long done, long? total)
    {
        if (_sink is null) return;
        if (_lastReport is { } last && _time.GetElapsedTime(last) < MinInterval) return;
        _meter.Record(done);
        Send(DownloadPhase.Downloading, done, total);
    }

    private void Send(DownloadPhase phase, long done, long? total)
    {
        if (_sink is null) return;
        _lastReport = _time.GetTimestamp();
        var rate = phase == DownloadPhase.Downloading ? _meter.BytesPerSecond : 0;
        var eta = phase == DownloadPhase.Downloading ? _meter.EstimateRemaining(done, total) : null;
        _sink.Report(new DownloadProgress(_fileName, _fileIndex, _fileCount, phase, done, total, rate, eta));
    }
}
