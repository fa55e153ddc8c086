namespace AgentHost.Models;

/// <summary>What the server says about one remote file without downloading it (for <c>agenthost model inspect</c>).</summary>
/// <param name="Reference">The file (one part, for a split set).</param>
/// <param name="Url">Where its bytes are served from, after redirects.</param>
/// <param name="SizeBytes">Its size, when the server said.</param>
/// <param name="Sha256">Its SHA-256, when the server said (Hugging Face does for LFS files).</param>
/// <param name="Commit">The commit the revision resolved to (Hugging Face only).</param>
public sealed record RemoteModelFile(ModelReference Reference, Uri Url, long? SizeBytes, string? Sha256, string? Commit);
