namespace AgentHost.Models;

/// <summary>
/// Turns what the user typed (a path or a reference) into a file to load: an existing local file is used as is,
/// a cached model is used without touching the network, anything else is pulled first.
/// </summary>
public sealed class ModelResolver
{
    private readonly ModelCache _cache;
    private readonly ModelDownloader _downloader;

    /// <summary>Creates a resolver over a cache and the downloader that fills it.</summary>
    public ModelResolver(ModelCache cache, ModelDownloader downloader)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(downloader);
        _cache = cache;
        _downloader = downloader;
    }

    /// <summary>
    /// The path of the model file for <paramref name="pathOrReference"/>. A path that exists is returned exactly as given,
    /// even if it happens to look like a reference.
    /// </summary>
    /// <exception cref="InvalidModelReferenceException">The text is neither an existing file nor a valid reference.</exception>
    /// <exception cref="ModelDownloadException">A local file does not exist, or the download failed.</exception>
    public Task<string> ResolveAsync(
        string pathOrReference, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pathOrReference);
        if (File.Exists(pathOrReference)) return Task.FromResult(pathOrReference);
        return ResolveAsync(ModelReference.Parse(pathOrReference), progress, cancellationToken);
    }

    /// <summary>The path of the model file for a parsed reference (part 1 of a split set), pulling it unless cached.</summary>
    /// <exception cref="ModelDownloadException">A local file does not exist, or the download failed.</exception>
    public async Task<string> ResolveAsync(
        ModelReference reference, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == ModelReferenceKind.LocalPath || !_cache.IsCached(reference))
            return await _downloader.PullAsync(reference, progress, cancellationToken).ConfigureAwait(false);

        try
        {
            _cache.Touch(reference);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            // A read-only or busy cache must not stop a model that is already there from loading.
        }
        return _cache.GetPath(reference);
    }
}
