namespace AgentHost.Models;

/// <summary>What a pull is doing for the current file.</summary>
public enum DownloadPhase
{
    /// <summary>Another process is downloading the same file; this one waits and then uses its result.</summary>
    WaitingForLock,

    /// <summary>Re-reading the bytes of an interrupted download to continue its SHA-256 before fetching the rest.</summary>
    Resuming,

    /// <summary>Receiving bytes.</summary>
    Downloading,

    /// <summary>The file is verified and in the cache (or was already there).</summary>
    Completed,
}
