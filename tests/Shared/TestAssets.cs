namespace AgentHost.Tests;

/// <summary>Locates the test inputs every test project shares: ../shared/models and the pinned llama.cpp source.</summary>
internal static class TestAssets
{
    /// <summary>The repository root (the folder holding AgentHost.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/models beside the checkout (override: AGENTHOST_SHARED_MODELS).</summary>
    public static string SharedModels { get; } =
        Environment.GetEnvironmentVariable("AGENTHOST_SHARED_MODELS")
        ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "models"));

    public static string Stories260K => RequireFile(Path.Combine(SharedModels, "stories260K.gguf"));
    public static string TinyRandomLlama2 => RequireFile(Path.Combine(SharedModels, "llama-2-tiny-random.gguf"));

    /// <summary>The llama.cpp v0.5.0 source from the node-llama-cpp@3.22.1 bundle, fetched by the build (build/fetch-llama.sh source).</summary>
    public static string LlamaSource { get; } = FindLlamaSource();

    public static string VocabGguf(string name) => RequireFile(Path.Combine(LlamaSource, "models", $"ggml-vocab-{name}.gguf"));
    public static string ChatTemplate(string name) => RequireFile(Path.Combine(LlamaSource, "models", "templates", $"{name}.jinja"));

    /// <summary>A scratch folder under the test output that is unique per call.</summary>
    public static string NewTempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), "agenthost-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Test asset not found: {path}", path);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AgentHost.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("AgentHost.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindLlamaSource()
    {
        var env = Environment.GetEnvironmentVariable("AGENTHOST_LLAMA_SOURCE");
        if (!string.IsNullOrEmpty(env)) return env;
        var marker = Path.Combine(AppContext.BaseDirectory, "llama-source-dir.txt");
        if (File.Exists(marker)) return File.ReadAllText(marker).Trim();
        throw new DirectoryNotFoundException("llama-source-dir.txt missing: the test build fetches the llama.cpp source (build/fetch-llama.sh source).");
    }
}
