using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AgentHost.Models.Tests.Infrastructure;

namespace AgentHost.Models.Tests;

/// <summary>Pulls from a loopback server that answers like Hugging Face's resolve endpoint (302 to a file host, X-Linked-Etag, Range).</summary>
public class ModelDownloaderTests
{
    private static readonly ModelReference Stories = ModelReference.Parse(DownloadTestContext.Reference);

    [Fact]
    public async Task FullPull_FollowsTheRedirect_VerifiesAndPublishesTheFile()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var reports = new List<DownloadProgress>();

        var path = await test.Downloader().PullAsync(Stories, new SyncProgress<DownloadProgress>(reports.Add));

        Assert.Equal(test.FinalPath, path);
        Assert.Equal(test.Model, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(test.PartialPath));
        Assert.False(File.Exists(test.PartialPath + ".etag"));

        var hub = Assert.Single(test.Server.HubRequests);
        Assert.Equal("/tiny/stories/resolve/main/stories260K.gguf", hub.Path);
        var file = Assert.Single(test.Server.FileHostRequests);
        Assert.Equal($"/files/{test.ModelSha256}/stories260K.gguf", file.Path);
        Assert.Null(file.Range);
        Assert.Equal(test.Model.Length, file.BytesServed);

        Assert.Equal(DownloadPhase.Downloading, reports[0].Phase);
        Assert.Equal(test.Model.Length, reports[0].TotalBytes);
        Assert.Equal(new DownloadProgress("stories260K.gguf", 1, 1, DownloadPhase.Completed, test.Model.Length, test.Model.Length, 0, null), reports[^1]);

        var entry = Assert.Single(test.Cache().List());
        Assert.Equal(Stories, entry.Reference);
        Assert.Equal(test.Model.Length, entry.SizeBytes);
        Assert.NotNull(entry.LastUsedAt);
    }

    [Fact]
    public async Task PullKilledHalfway_IsResumedWithRange_WithoutFetchingTheFirstHalfAgain()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var half = test.Model.Length / 2;
        var gate = test.Server.PauseNextResponse(half);

        var first = test.Downloader().PullAsync(Stories);
        await Wait.WithDeadline(gate.Reached.Task, "the server to send half the file");
        await Wait.UntilAsync(() => File.Exists(test.PartialPath) && new FileInfo(test.PartialPath).Length == half, "half the file on disk");
        Assert.False(File.Exists(test.FinalPath)); // the unfinished file never carries the final name
        gate.Released.SetResult(false); // drop the connection mid-file

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => first);
        Assert.Equal(ModelDownloadErrorKind.Network, error.Kind);
        Assert.Contains("again to resume", error.Message);
        Assert.Equal(half, new FileInfo(test.PartialPath).Length);
        Assert.False(File.Exists(test.FinalPath));

        var path = await test.Downloader().PullAsync(Stories); // a new downloader, as a new process would be

        Assert.Equal(test.Model, await File.ReadAllBytesAsync(path));
        var resumed = test.Server.FileHostRequests.Last();
        Assert.Equal($"bytes={half}-", resumed.Range);
        Assert.Equal(test.Model.Length - half, resumed.BytesServed);
        Assert.Equal(test.Model.Length, test.Server.FileHostRequests.Sum(r => r.BytesServed));
        Assert.False(File.Exists(test.PartialPath));
    }

    [Fact]
    public async Task PullCancelledHalfway_KeepsThePartialFile_AndTheNextPullResumes()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var half = test.Model.Length / 2;
        var gate = test.Server.PauseNextResponse(half);
        using var cancel = new CancellationTokenSource();

        var first = test.Downloader().PullAsync(Stories, cancellationToken: cancel.Token);
        await Wait.WithDeadline(gate.Reached.Task, "the server to send half the file");
        await Wait.UntilAsync(() => File.Exists(test.PartialPath) && new FileInfo(test.PartialPath).Length == half, "half the file on disk");
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        gate.Released.SetResult(false);
        Assert.Equal(half, new FileInfo(test.PartialPath).Length);
        Assert.False(File.Exists(test.FinalPath));

        var path = await test.Downloader().PullAsync(Stories);

        Assert.Equal(test.Model, await File.ReadAllBytesAsync(path));
        var resumed = test.Server.FileHostRequests.Last();
        Assert.Equal($"bytes={half}-", resumed.Range);
        Assert.Equal(test.Model.Length - half, resumed.BytesServed);
    }

    [Fact]
    public async Task ServerThatIgnoresRange_RestartsTheFileCleanly()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var half = test.Model.Length / 2;
        await InterruptAtAsync(test, half);
        test.Server.IgnoreRange = true;

        var path = await test.Downloader().PullAsync(Stories);

        Assert.Equal(test.Model, await File.ReadAllBytesAsync(path));
        var retry = test.Server.FileHostRequests.Last();
        Assert.Equal($"bytes={half}-", retry.Range); // asked to resume...
        Assert.Equal(test.Model.Length, retry.BytesServed); // ...got the whole file, and wrote it from the start
    }

    [Fact]
    public async Task CorruptedByte_FailsTheSha256Check_AndLeavesNothingInTheCache()
    {
        await using var test = await DownloadTestContext.StartAsync();
        test.Server.CorruptByteAt = 123_456;

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader().PullAsync(Stories));

        Assert.Equal(ModelDownloadErrorKind.Integrity, error.Kind);
        Assert.Contains("SHA-256", error.Message);
        Assert.Contains(test.ModelSha256, error.Message);
        Assert.Contains("deleted", error.Message);
        Assert.False(File.Exists(test.FinalPath));
        Assert.False(File.Exists(test.PartialPath));
        Assert.False(File.Exists(test.PartialPath + ".etag"));
        Assert.Empty(test.Cache().List());

        test.Server.CorruptByteAt = null;
        Assert.Equal(test.Model, await File.ReadAllBytesAsync(await test.Downloader().PullAsync(Stories)));
    }

    [Fact]
    public async Task CorruptionInTheResumedHalf_IsCaught_BecauseTheHashCoversTheWholeFile()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var half = test.Model.Length / 2;
        await InterruptAtAsync(test, half);
        test.Server.CorruptByteAt = half + 10;

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader().PullAsync(Stories));

        Assert.Equal(ModelDownloadErrorKind.Integrity, error.Kind);
        Assert.Equal($"bytes={half}-", test.Server.FileHostRequests.Last().Range);
        Assert.False(File.Exists(test.FinalPath));
        Assert.False(File.Exists(test.PartialPath));
    }

    [Fact]
    public async Task RemoteFileChangedSinceTheInterruption_StartsOverInsteadOfSplicing()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var half = test.Model.Length / 2;
        await InterruptAtAsync(test, half);
        var updated = test.Model.Reverse().ToArray();
        test.Server.AddFile(DownloadTestContext.RepoId, DownloadTestContext.FileName, updated);

        var path = await test.Downloader().PullAsync(Stories);

        Assert.Equal(updated, await File.ReadAllBytesAsync(path));
        var requests = test.Server.FileHostRequests.ToArray();
        Assert.Equal($"bytes={half}-", requests[^2].Range); // the resume attempt, answered for another version
        Assert.Null(requests[^1].Range); // so the file was fetched whole
        Assert.Equal(updated.Length, requests[^1].BytesServed);
    }

    [Fact]
    public async Task CompletePartialFile_LeftByARunThatDiedBeforeTheRename_IsVerifiedAndPublished()
    {
        await using var test = await DownloadTestContext.StartAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(test.PartialPath)!);
        await File.WriteAllBytesAsync(test.PartialPath, test.Model);

        var path = await test.Downloader().PullAsync(Stories);

        Assert.Equal(test.Model, await File.ReadAllBytesAsync(path));
        var request = Assert.Single(test.Server.FileHostRequests);
        Assert.Equal($"bytes={test.Model.Length}-", request.Range); // answered 416: nothing left to send
        Assert.Equal(0, request.BytesServed);
        Assert.False(File.Exists(test.PartialPath));
    }

    [Fact]
    public async Task MissingFile_IsNotFound_NamingTheReference()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var missing = ModelReference.Parse("hf:tiny/stories/nope.gguf@dev");

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader().PullAsync(missing));

        Assert.Equal(ModelDownloadErrorKind.NotFound, error.Kind);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("hf:tiny/stories/nope.gguf@dev was not found on Hugging Face (HTTP 404: EntryNotFound", error.Message);
        Assert.Contains("revision 'dev'", error.Message);
        Assert.Empty(test.Server.FileHostRequests);
        Assert.False(File.Exists(test.Cache().GetPath(missing)));
    }

    [Fact]
    public async Task GatedRepository_WithoutToken_IsUnauthorized_AndSaysToSetHfToken()
    {
        await using var test = await DownloadTestContext.StartAsync();
        test.Server.Gate(DownloadTestContext.RepoId);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader().PullAsync(Stories));

        Assert.Equal(ModelDownloadErrorKind.Unauthorized, error.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("HTTP 401: GatedRepo", error.Message);
        Assert.Contains("set HF_TOKEN", error.Message);
        Assert.Contains("--model /path/to/file.gguf", error.Message);
        Assert.False(File.Exists(test.FinalPath));
    }

    [Fact]
    public async Task GatedRepository_WithRejectedToken_SaysTheTokenWasRefused()
    {
        await using var test = await DownloadTestContext.StartAsync();
        test.Server.Gate(DownloadTestContext.RepoId);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader(test.Options(token: "hf_wrong")).PullAsync(Stories));

        Assert.Equal(ModelDownloadErrorKind.Unauthorized, error.Kind);
        Assert.Contains("refused the token in HF_TOKEN", error.Message);
    }

    [Fact]
    public async Task Token_GoesToTheHubOnly_NeverToTheFileHost()
    {
        await using var test = await DownloadTestContext.StartAsync();
        test.Server.Gate(DownloadTestContext.RepoId);

        var path = await test.Downloader(test.Options(token: test.Server.AcceptedToken)).PullAsync(Stories);

        Assert.Equal(test.Model, await File.ReadAllBytesAsync(path));
        Assert.Equal($"Bearer {test.Server.AcceptedToken}", Assert.Single(test.Server.HubRequests).Authorization);
        Assert.Null(Assert.Single(test.Server.FileHostRequests).Authorization);
    }

    [Fact]
    public async Task NoNetwork_IsANetworkError_ThatSaysWhatToDoOffline()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var options = test.Options();
        options.HuggingFaceEndpoint = new Uri($"http://127.0.0.1:{ClosedPort()}/");

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader(options).PullAsync(Stories));

        Assert.Equal(ModelDownloadErrorKind.Network, error.Kind);
        Assert.Null(error.StatusCode);
        Assert.Contains("no connection to 127.0.0.1", error.Message);
        Assert.Contains("download the file elsewhere and pass --model /path/to/file.gguf", error.Message);
        Assert.False(File.Exists(test.FinalPath));
    }

    [Fact]
    public async Task Stall_IsANetworkError_AndKeepsWhatArrived()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var options = test.Options();
        options.StallTimeout = TimeSpan.FromSeconds(1);
        var gate = test.Server.PauseNextResponse(1000); // and never released

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader(options).PullAsync(Stories));

        Assert.Equal(ModelDownloadErrorKind.Network, error.Kind);
        Assert.Contains("stalled", error.Message);
        Assert.True(File.Exists(test.PartialPath));
        Assert.False(File.Exists(test.FinalPath));
        gate.Released.SetResult(false);
    }

    [Fact]
    public async Task PlainUrl_IsDownloadedWithoutTheToken_AndCheckedBySize()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var reference = ModelReference.Parse(test.Server.FileUrl(test.ModelSha256, "story.gguf").AbsoluteUri);

        var path = await test.Downloader(test.Options(token: "hf_secret")).PullAsync(reference);

        Assert.Equal(test.Model, await File.ReadAllBytesAsync(path));
        Assert.StartsWith(Path.Combine(test.Root, "url", $"127.0.0.1_{test.Server.FileHost.Port}"), path);
        Assert.Null(Assert.Single(test.Server.Requests).Authorization);
    }

    [Fact]
    public async Task SplitGguf_IsFetchedAsASet_AndLoadsFromPartOne()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var half = test.Model.Length / 2;
        test.Server.AddFile("tiny/split", "big-00001-of-00002.gguf", test.Model[..half]);
        test.Server.AddFile("tiny/split", "big-00002-of-00002.gguf", test.Model[half..]);
        var reports = new List<DownloadProgress>();

        var path = await test.Downloader().PullAsync(ModelReference.Parse("hf:tiny/split/big-00002-of-00002.gguf"), new SyncProgress<DownloadProgress>(reports.Add));

        Assert.EndsWith("big-00001-of-00002.gguf", path);
        Assert.Equal(test.Model[..half], await File.ReadAllBytesAsync(path));
        Assert.Equal(test.Model[half..], await File.ReadAllBytesAsync(path.Replace("00001-of", "00002-of")));
        Assert.Equal([1, 2], reports.Where(r => r.Phase == DownloadPhase.Completed).Select(r => r.FileIndex));
        var entry = Assert.Single(test.Cache().List());
        Assert.Equal("hf:tiny/split/big-00001-of-00002.gguf", entry.Reference.ToString());
        Assert.Equal(test.Model.Length, entry.SizeBytes);
        Assert.Equal(2, entry.Files.Count);
    }

    [Fact]
    public async Task CachedModel_IsNotRequestedAgain()
    {
        await using var test = await DownloadTestContext.StartAsync();
        await test.Downloader().PullAsync(Stories);
        var requestsAfterFirst = test.Server.Requests.Count;
        var reports = new List<DownloadProgress>();

        var path = await test.Downloader().PullAsync(Stories, new SyncProgress<DownloadProgress>(reports.Add));

        Assert.Equal(test.FinalPath, path);
        Assert.Equal(requestsAfterFirst, test.Server.Requests.Count);
        Assert.Equal(DownloadPhase.Completed, Assert.Single(reports).Phase);
    }

    [Fact]
    public async Task Probe_ReportsSizeAndSha256_WithoutDownloading()
    {
        await using var test = await DownloadTestContext.StartAsync();

        var file = Assert.Single(await test.Downloader().ProbeAsync(Stories));

        Assert.Equal(test.Model.Length, file.SizeBytes);
        Assert.Equal(test.ModelSha256, file.Sha256);
        Assert.Equal(40, file.Commit?.Length);
        Assert.Equal(test.Server.FileUrl(test.ModelSha256, DownloadTestContext.FileName), file.Url);
        Assert.All(test.Server.Requests, r => Assert.Equal("HEAD", r.Method));
        Assert.Equal(0, test.Server.Requests.Sum(r => r.BytesServed));
        Assert.False(Directory.Exists(Path.Combine(test.Root, "hf")));
    }

    [Fact]
    public async Task LocalReference_IsReturnedIfPresent_ElseNotFound()
    {
        await using var test = await DownloadTestContext.StartAsync();
        var present = Path.Combine(test.Root, "here.gguf");
        await File.WriteAllBytesAsync(present, [1]);

        Assert.Equal(present, await test.Downloader().PullAsync(ModelReference.Parse(present)));
        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => test.Downloader().PullAsync(ModelReference.Parse(present + ".missing")));
        Assert.Equal(ModelDownloadErrorKind.NotFound, error.Kind);
        Assert.Contains("does not exist", error.Message);
        Assert.Empty(test.Server.Requests);
    }

    /// <summary>Runs a pull that the server cuts off after <paramref name="bytes"/> bytes, leaving exactly that much in the partial file.</summary>
    internal static async Task InterruptAtAsync(DownloadTestContext test, int bytes)
    {
        var gate = test.Server.PauseNextResponse(bytes);
        var pull = test.Downloader().PullAsync(Stories);
        await Wait.WithDeadline(gate.Reached.Task, "the server to pause");
        await Wait.UntilAsync(() => File.Exists(test.PartialPath) && new FileInfo(test.PartialPath).Length == bytes, "the partial file");
        gate.Released.SetResult(false);
        Assert.Equal(ModelDownloadErrorKind.Network, (await Assert.ThrowsAsync<ModelDownloadException>(() => pull)).Kind);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
