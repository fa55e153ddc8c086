namespace AgentHost.Models;

/// <summary>
/// A snapshot of a pull, for a progress bar. Reported at most about ten times a second while bytes flow,
/// and on every phase change. For a split set, one file at a time (<see cref="FileIndex"/> of <see cref="FileCount"/>).
/// </summary>
/// <param name="FileName">The file being fetched.</param>
/// <param name="FileIndex">1-based position of the file in a split set (1 for a single file).</param>
/// <param name="FileCount">Number of files in the set (1 for a single file).</param>
/// <param name="Phase">What is happening.</param>
/// <param name="BytesDone">Bytes of this file on disk so far, including bytes from an earlier, interrupted run.</param>
/// <param name="TotalBytes">Size of this file, when the server said.</param>
/// <param name="BytesPerSecond">Recent transfer rate (over the last few seconds); 0 until measurable.</param>
/// <param name="Eta">Estimated time to finish this file; null while the size or rate is unknown.</param>
public readonly record struct DownloadProgress(
    string FileName,
    int FileIndex,
    int FileCount,
    DownloadPhase Phase,
    long BytesDone,
    long? TotalBytes,
    double BytesPerSecond,
    TimeSpan? Eta)
{
    /// <summary>Completed fraction 0..1 of this file, when the size is known.</summary>
    public double? Fraction => TotalBytes is > 0 ? Math.Clamp((double)BytesDone / TotalBytes.Value, 0, 1) : null;
}
