namespace AgentHost.Models;

/// <summary>
/// The folder of downloaded models: where a reference's files live, which models are there (with size and last use),
/// removal, and the "last used" bookkeeping. Safe to share between processes; downloading itself is <see cref="ModelDownloader"/>'s job.
/// </summary>
public sealed class ModelCache
{
    private readonly ModelCacheIndex _index;

    /// <summary>Creates the cache over <see cref="ModelCacheOptions.RootDirectory"/> (the folder is created on first write).</summary>
    /// <param name="options">Cache and download settings; validated here.</param>
    /// <param name="timeProvider">Clock for the "downloaded" and "last used" times; the system clock by default.</param>
    /// <exception cref="ArgumentException">A setting in <paramref name="options"/> is invalid.</exception>
    public ModelCache(ModelCacheOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        RootDirectory = Path.GetFullPath(options.RootDirectory);
        TimeProvider = timeProvider ?? TimeProvider.System;
        _index = new ModelCacheIndex(RootDirectory);
    }

    /// <summary>The settings this cache was created with.</summary>
    public ModelCacheOptions Options { get; }

    /// <summary>The full path of the cache folder.</summary>
    public string RootDirectory { get; }

    internal TimeProvider TimeProvider { get; }

    /// <summary>
    /// The file a loader should open for <paramref name="reference"/>: its place in the cache (part 1 of a split set),
    /// or the path itself for a local reference. The file may not exist yet.
    /// </summary>
    public string GetPath(ModelReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return GetFilePath(reference.FirstPart);
    }

    /// <summary>The paths of every file of the model (all parts of a split set), in part order.</summary>
    public IReadOnlyList<string> GetPartPaths(ModelReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Parts.Select(GetFilePath).ToArray();
    }

    /// <summary>True when every file of a remote model is in the cache. Always false for local references.</summary>
    public bool IsCached(ModelReference reference) =>
        reference.Kind != ModelReferenceKind.LocalPath && GetPartPaths(reference).All(File.Exists);

    /// <summary>The cache entry for <paramref name="reference"/>, or null if it is not (even partly) cached.</summary>
    public ModelCacheEntry? Find(ModelReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == ModelReferenceKind.LocalPath) return null;
        _index.Read().TryGetValue(reference.FirstPart.ToString(), out var record);
        return CreateEntry(reference.FirstPart, record);
    }

    /// <summary>The models in the cache, most recently used first. Entries whose files were deleted by hand are left out.</summary>
    public IReadOnlyList<ModelCacheEntry> List()
    {
        var entries = new List<ModelCacheEntry>();
        foreach (var (text, record) in _index.Read())
            if (ModelReference.TryParse(text, out var reference) && reference.Kind != ModelReferenceKind.LocalPath &&
                CreateEntry(reference.FirstPart, record) is { } entry)
                entries.Add(entry);
        return entries
            .OrderByDescending(e => e.LastUsedAt ?? e.DownloadedAt ?? DateTimeOffset.MinValue)
            .ThenBy(e => e.Reference.ToString(), StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Records that the model is being used now (for <c>model list</c>). Does nothing unless it is cached.</summary>
    public void Touch(ModelReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!IsCached(reference)) return;
        var now = TimeProvider.GetUtcNow();
        _index.Update(records =>
        {
            var record = records.GetValueOrDefault(reference.FirstPart.ToString()) ?? new ModelCacheIndexRecord();
            record.LastUsed = now;
            records[reference.FirstPart.ToString()] = record;
        });
    }

    /// <summary>
    /// Deletes the model's files (every part, and any unfinished download) and its index entry.
    /// Returns false when there was nothing to delete.
    /// </summary>
    /// <exception cref="ArgumentException">The reference is a local file: only downloaded models are deleted.</exception>
    /// <exception cref="InvalidOperationException">Another process is downloading the model right now.</exception>
    public bool Remove(ModelReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == ModelReferenceKind.LocalPath)
            throw new ArgumentException(
                $"'{reference}' is a local file, not a cached model; only models downloaded into {RootDirectory} can be removed.",
                nameof(reference));

        var removed = false;
        var locks = new List<CacheFileLock>();
        try
        {
            foreach (var path in GetPartPaths(reference))
            {
                // Holding each file's download lock means no pull is writing it while it is deleted.
                locks.Add(CacheFileLock.TryAcquire(ModelCacheLayout.LockPath(RootDirectory, path))
                          ?? throw new InvalidOperationException($"'{reference}' is being downloaded by another process; try again when it finishes."));
                var partial = new PartialDownload(path);
                foreach (var file in new[] { path, partial.PartialPath, partial.ValidatorPath })
                    if (File.Exists(file))
                    {
                        File.Delete(file);
                        removed = true;
                    }
                DeleteEmptyFolders(Path.GetDirectoryName(path)!);
            }

            var key = reference.FirstPart.ToString();
            if (_index.Read().ContainsKey(key))
            {
                _index.Update(records => records.Remove(key));
                removed = true;
            }
        }
        finally
        {
            foreach (var held in locks) held.Dispose();
        }
        return removed;
    }

    /// <summary>Marks a finished pull in the index.</summary>
    internal void RecordDownload(ModelReference reference)
    {
        var now = TimeProvider.GetUtcNow();
        _index.Update(records => records[reference.FirstPart.ToString()] = new ModelCacheIndexRecord { Downloaded = now, LastUsed = now });
    }

    /// <summary>The place of exactly this file (one part) in the cache, or the local path.</summary>
    internal string GetFilePath(ModelReference file) =>
        file.Kind == ModelReferenceKind.LocalPath ? file.LocalPath! : Path.Combine(RootDirectory, ModelCacheLayout.RelativePath(file));

    internal string GetLockPath(string finalPath) => ModelCacheLayout.LockPath(RootDirectory, finalPath);

    private ModelCacheEntry? CreateEntry(ModelReference firstPart, ModelCacheIndexRecord? record)
    {
        var all = GetPartPaths(firstPart);
        var present = all.Where(File.Exists).ToArray();
        if (present.Length == 0) return null;
        return new ModelCacheEntry(
            firstPart, all[0], present, present.Sum(p => new FileInfo(p).Length), present.Length == all.Count,
            record?.Downloaded, record?.LastUsed);
    }

    // Leaves no empty hf/OWNER/REPO/REVISION folders behind; stops at the cache root.
    private void DeleteEmptyFolders(string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(RootDirectory);
        for (var dir = folder; dir.Length > root.Length && dir.StartsWith(root, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir)!)
        {
            if (!Directory.Exists(dir) || Directory.EnumerateFileSystemEntries(dir).Any()) return;
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                return; // another pull just created something here
            }
        }
    }
}
