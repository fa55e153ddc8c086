namespace AgentHost.Models;

/// <summary>One model in the cache, as <c>agenthost model list</c> shows it.</summary>
/// <param name="Reference">The model's reference (part 1 for a split set).</param>
/// <param name="Path">The file to load (part 1 for a split set).</param>
/// <param name="Files">Every file of the model that is present.</param>
/// <param name="SizeBytes">Total size of <paramref name="Files"/>.</param>
/// <param name="IsComplete">False when a split set is missing parts.</param>
/// <param name="DownloadedAt">When the pull finished; null if unknown.</param>
/// <param name="LastUsedAt">When the model was last resolved for use (or downloaded); null if unknown.</param>
public sealed record ModelCacheEntry(
    ModelReference Reference,
    string Path,
    IReadOnlyList<string> Files,
    long SizeBytes,
    bool IsComplete,
    DateTimeOffset? DownloadedAt,
    DateTimeOffset? LastUsedAt);
