using AgentHost.Models.Tests.Infrastructure;
using AgentHost.Tests;

namespace AgentHost.Models.Tests;

public class ModelResolverTests
{
    [Fact]
    public async Task ExistingLocalPath_IsReturnedAsGiven()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var cache = test.Cache();
        var resolver = new ModelResolver(cache, test.Downloader(cache));

        Assert.Equal(TestAssets.Stories260K, await resolver.ResolveAsync(TestAssets.Stories260K));
        Assert.Empty(test.Server.Requests);
    }

    [Fact]
    public async Task MissingLocalPath_AndBadReference_AreClearErrors()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var cache = test.Cache();
        var resolver = new ModelResolver(cache, test.Downloader(cache));

        var missing = await Assert.ThrowsAsync<ModelDownloadException>(() => resolver.ResolveAsync(Path.Combine(test.Root, "none.gguf")));
        Assert.Equal(ModelDownloadErrorKind.NotFound, missing.Kind);
        Assert.Contains(Path.Combine(test.Root, "none.gguf"), missing.Message);

        var bad = await Assert.ThrowsAsync<InvalidModelReferenceException>(() => resolver.ResolveAsync("hf:only-owner"));
        Assert.Contains("OWNER/REPO/FILE.gguf", bad.Message);
    }

    [Fact]
    public async Task Reference_IsPulledOnce_ThenServedFromTheCache_AndMarkedUsed()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var cache = test.Cache(time: clock);
        var resolver = new ModelResolver(cache, test.Downloader(cache));

        var first = await resolver.ResolveAsync(DownloadTestContext.Reference);
        var requests = test.Server.Requests.Count;
        var downloadedAt = clock.Now;
        clock.Advance(TimeSpan.FromDays(1));
        var second = await resolver.ResolveAsync(DownloadTestContext.Reference);

        Assert.Equal(test.FinalPath, first);
        Assert.Equal(first, second);
        Assert.Equal(test.Model, await File.ReadAllBytesAsync(second));
        Assert.Equal(requests, test.Server.Requests.Count);
        var entry = Assert.Single(cache.List());
        Assert.Equal(downloadedAt, entry.DownloadedAt);
        Assert.Equal(clock.Now, entry.LastUsedAt);
    }
}
