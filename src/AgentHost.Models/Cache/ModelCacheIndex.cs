using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Models;

/// <summary>
/// The small JSON file (<c>index.json</c>) that remembers, per cached model, when it was downloaded and last used.
/// Updates are read-modify-write under a lock file and land by atomic rename, so readers never see half a file.
/// The files on disk stay the truth: an entry whose file is gone is not listed.
/// </summary>
internal sealed class ModelCacheIndex
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private readonly string _root;
    private readonly string _path;

    public ModelCacheIndex(string root)
    {
        _root = root;
        _path = Path.Combine(root, ModelCacheLayout.IndexFileName);
    }

    /// <summary>The records keyed by canonical reference (of part 1 for split sets).</summary>
    public Dictionary<string, ModelCacheIndexRecord> Read()
    {
        try
        {
            using var stream = File.OpenRead(_path);
            var document = JsonSerializer.Deserialize(stream, ModelCacheIndexJson.Default.ModelCacheIndexDocument);
            return new Dictionary<string, ModelCacheIndexRecord>(document?.Models ?? [], StringComparer.Ordinal);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Dictionary<string, ModelCacheIndexRecord>(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // Only timestamps live here; a damaged index costs the "last used" column, never the models.
            return new Dictionary<string, ModelCacheIndexRecord>(StringComparer.Ordinal);
        }
    }

    /// <summary>Applies <paramref name="change"/> to the current records and writes them back.</summary>
    public void Update(Action<Dictionary<string, ModelCacheIndexRecord>> change)
    {
        Directory.CreateDirectory(_root);
        using var indexLock = CacheFileLock.Acquire(ModelCacheLayout.IndexLockPath(_root), LockTimeout);
        var records = Read();
        change(records);

        var temp = $"{_path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                JsonSerializer.Serialize(stream, new ModelCacheIndexDocument { Models = records }, ModelCacheIndexJson.Default.ModelCacheIndexDocument);
            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}

/// <summary>What the index remembers about one cached model.</summary>
internal sealed class ModelCacheIndexRecord
{
    public DateTimeOffset? Downloaded { get; set; }
    public DateTimeOffset? LastUsed { get; set; }
}

/// <summary>The index file's top level; the version allows a later format change to be recognised.</summary>
internal sealed class ModelCacheIndexDocument
{
    public int Version { get; set; } = 1;
    public Dictionary<string, ModelCacheIndexRecord> Models { get; set; } = [];
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ModelCacheIndexDocument))]
internal sealed partial class ModelCacheIndexJson : JsonSerializerContext;
