using AgentHost.Tests;

namespace AgentHost.Models.Tests.Infrastructure;

/// <summary>A fake Hugging Face server, a fresh cache folder and the real stories260K.gguf bytes, for one test.</summary>
internal sealed class DownloadTestContext : IAsyncDisposable
{
    public const string RepoId = "tiny/stories";
    public const string FileName = "stories260K.gguf";
    public const string Reference = "hf:tiny/stories/stories260K.gguf";

    private readonly List<IDisposable> _disposables = [];

    private DownloadTestContext(FakeHuggingFaceServer server, string root)
    {
        Server = server;
        Root = root;
    }

    public FakeHuggingFaceServer Server { get; }
    public string Root { get; }
    public byte[] Model { get; } = File.ReadAllBytes(TestAssets.Stories260K);
    public string ModelSha256 { get; private set; } = "";

    /// <summary>Where the model lands in the cache.</summary>
    public string FinalPath => Path.Combine(Root, "hf", "tiny", "stories", "main", FileName);
    public string PartialPath => FinalPath + ".partial";

    public static async Task<DownloadTestContext> StartAsync()
    {
        var context = new DownloadTestContext(await FakeHuggingFaceServer.StartAsync(), TestAssets.NewTempDir("models"));
        context.ModelSha256 = context.Server.AddFile(RepoId, FileName, context.Model);
        return context;
    }

    public ModelCacheOptions Options(string? token = null) =>
        new() { RootDirectory = Root, HuggingFaceEndpoint = Server.HubEndpoint, HuggingFaceToken = token };

    public ModelCache Cache(ModelCacheOptions? options = null, TimeProvider? time = null) => new(options ?? Options(), time);

    /// <summary>A downloader with its own HttpClient, as a separate process would have.</summary>
    public ModelDownloader Downloader(ModelCacheOptions? options = null) => Track(new ModelDownloader(Cache(options)));

    public ModelDownloader Downloader(ModelCache cache) => Track(new ModelDownloader(cache));

    private ModelDownloader Track(ModelDownloader downloader)
    {
        _disposables.Add(downloader);
        return downloader;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables) disposable.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // temp folder; nothing depends on it going away
        }
    }
}
