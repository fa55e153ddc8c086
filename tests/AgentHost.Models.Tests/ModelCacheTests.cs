using AgentHost.Models.Tests.Infrastructure;
using AgentHost.Tests;

namespace AgentHost.Models.Tests;

public sealed class ModelCacheTests : IDisposable
{
    private readonly string _root = TestAssets.NewTempDir("cache");
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private ModelCache NewCache() => new(new ModelCacheOptions { RootDirectory = _root }, _clock);

    /// <summary>Puts bytes where the cache expects the reference's file, as a finished pull would.</summary>
    private static void Place(ModelCache cache, ModelReference reference, int size)
    {
        foreach (var path in cache.GetPartPaths(reference))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, new byte[size]);
        }
    }

    [Fact]
    public void Paths_FollowTheLayout()
    {
        var cache = NewCache();

        Assert.Equal(Path.Combine(_root, "hf", "org", "repo", "main", "sub", "m.gguf"), cache.GetPath(ModelReference.Parse("hf:org/repo/sub/m.gguf")));
        Assert.Equal(Path.Combine(_root, "hf", "org", "repo", "refs%2Fpr%2F1", "m.gguf"), cache.GetPath(ModelReference.Parse("hf:org/repo/m.gguf@refs/pr/1")));
        var url = cache.GetPath(ModelReference.Parse("https://example.com:8443/a/m.gguf"));
        Assert.StartsWith(Path.Combine(_root, "url", "example.com_8443") + Path.DirectorySeparatorChar, url);
        Assert.EndsWith(Path.DirectorySeparatorChar + "m.gguf", url);
        Assert.Equal("/tmp/x.gguf", cache.GetPath(ModelReference.Parse("/tmp/x.gguf")));
    }

    [Fact]
    public void SplitSet_PathIsPartOne()
    {
        var cache = NewCache();
        var reference = ModelReference.Parse("hf:org/repo/m-00002-of-00002.gguf");

        Assert.Equal(Path.Combine(_root, "hf", "org", "repo", "main", "m-00001-of-00002.gguf"), cache.GetPath(reference));
        Assert.Equal(2, cache.GetPartPaths(reference).Count);
    }

    [Fact]
    public void List_ShowsSizeAndLastUse_MostRecentFirst()
    {
        var cache = NewCache();
        var older = ModelReference.Parse("hf:org/repo/older.gguf");
        var newer = ModelReference.Parse("hf:org/repo/newer-00001-of-00002.gguf");
        Place(cache, older, 100);
        Place(cache, newer, 30);

        cache.Touch(older);
        var olderUse = _clock.Now;
        _clock.Advance(TimeSpan.FromHours(1));
        cache.Touch(newer);

        var entries = cache.List();
        Assert.Equal([newer, older], entries.Select(e => e.Reference));
        Assert.Equal(60, entries[0].SizeBytes);
        Assert.Equal(2, entries[0].Files.Count);
        Assert.True(entries[0].IsComplete);
        Assert.Equal(_clock.Now, entries[0].LastUsedAt);
        Assert.Equal(100, entries[1].SizeBytes);
        Assert.Equal(olderUse, entries[1].LastUsedAt);
        Assert.Equal(cache.GetPath(older), entries[1].Path);
    }

    [Fact]
    public void Touch_OfSomethingNotCached_RecordsNothing()
    {
        var cache = NewCache();

        cache.Touch(ModelReference.Parse("hf:org/repo/absent.gguf"));

        Assert.Empty(cache.List());
        Assert.False(cache.IsCached(ModelReference.Parse("hf:org/repo/absent.gguf")));
    }

    [Fact]
    public void FilesDeletedByHand_AreNotListed()
    {
        var cache = NewCache();
        var reference = ModelReference.Parse("hf:org/repo/gone.gguf");
        Place(cache, reference, 10);
        cache.Touch(reference);

        File.Delete(cache.GetPath(reference));

        Assert.Empty(cache.List());
        Assert.Null(cache.Find(reference));
    }

    [Fact]
    public void Remove_DeletesFilesPartialsIndexEntryAndEmptyFolders()
    {
        var cache = NewCache();
        var reference = ModelReference.Parse("hf:org/repo/m-00001-of-00002.gguf");
        Place(cache, reference, 10);
        cache.Touch(reference);
        var partial = cache.GetPartPaths(reference)[1] + ".partial";
        File.WriteAllBytes(partial, [1, 2, 3]);

        Assert.True(cache.Remove(ModelReference.Parse("hf:org/repo/m-00002-of-00002.gguf")));

        Assert.All(cache.GetPartPaths(reference), p => Assert.False(File.Exists(p)));
        Assert.False(File.Exists(partial));
        Assert.False(Directory.Exists(Path.Combine(_root, "hf")));
        Assert.Empty(cache.List());
        Assert.False(cache.Remove(reference));
    }

    [Fact]
    public void Remove_RefusesLocalFiles()
    {
        var cache = NewCache();
        var local = Path.Combine(_root, "mine.gguf");
        File.WriteAllBytes(local, [1]);

        var error = Assert.Throws<ArgumentException>(() => cache.Remove(ModelReference.Parse(local)));

        Assert.Contains("local file", error.Message);
        Assert.True(File.Exists(local));
    }

    [Fact]
    public void DamagedIndex_CostsOnlyTimestamps()
    {
        var cache = NewCache();
        var reference = ModelReference.Parse("hf:org/repo/m.gguf");
        Place(cache, reference, 10);
        File.WriteAllText(Path.Combine(_root, "index.json"), "{ not json");

        Assert.Empty(cache.List());
        Assert.True(cache.IsCached(reference));

        cache.Touch(reference);
        Assert.Equal(_clock.Now, Assert.Single(cache.List()).LastUsedAt);
    }

    [Fact]
    public void Index_IsSharedBetweenCacheInstances()
    {
        var reference = ModelReference.Parse("https://example.com/m.gguf");
        var first = NewCache();
        Place(first, reference, 5);
        first.Touch(reference);

        var entry = Assert.Single(NewCache().List());
        Assert.Equal(reference, entry.Reference);
        Assert.Equal(_clock.Now, entry.LastUsedAt);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
