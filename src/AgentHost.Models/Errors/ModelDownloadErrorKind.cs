namespace AgentHost.Models;

/// <summary>Why a model could not be fetched; each kind calls for a different action from the user.</summary>
public enum ModelDownloadErrorKind
{
    /// <summary>The server has no such file (wrong owner, repository, file name or revision; or a local path that does not exist).</summary>
    NotFound,

    /// <summary>The server refused access (401/403): a gated or private repository needs a token (HF_TOKEN).</summary>
    Unauthorized,

    /// <summary>The server could not be reached, answered with a server error, or the transfer broke off. A re-run resumes.</summary>
    Network,

    /// <summary>The downloaded bytes do not match the SHA-256 or size the server announced; the bad file was deleted.</summary>
    Integrity,

    /// <summary>The file could not be written to the cache folder (disk full, permissions).</summary>
    Storage,

    /// <summary>Another process kept the file's download lock longer than <see cref="ModelCacheOptions.LockWaitTimeout"/>.</summary>
    LockTimeout,
}
