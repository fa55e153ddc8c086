using AgentHost.Gguf;
using AgentHost.Native;

namespace AgentHost.Llama;

/// <summary>
/// A loaded GGUF: its native weights (shared by every context and request) and the facts read from the file.
/// The file is checked with the managed GGUF reader first, so a corrupt file or an unknown architecture is a
/// typed error instead of a native failure.
/// </summary>
public sealed class LlamaModel : IDisposable
{
    private LlamaModel(string path, GgufFile gguf, SafeLlamaModelHandle handle)
    {
        Path = path;
        Gguf = gguf;
        Handle = handle;
    }

    public string Path { get; }
    public GgufFile Gguf { get; }
    public SafeLlamaModelHandle Handle { get; }

    public string Architecture => Gguf.Architecture ?? "unknown";
    public int VocabCount => Handle.VocabCount;
    public int TrainContextLength => Handle.TrainContextLength;
    public string? ChatTemplate => Handle.ChatTemplate();

    /// <summary>Validates the file, loads the runtime if needed, then the weights.</summary>
    public static LlamaModel Load(string path, ModelLoadParameters parameters, NativeRuntimeOptions? runtime = null,
        Microsoft.Extensions.Logging.ILogger? logger = null, IProgress<float>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"Model file not found: {full}", full);
        var gguf = GgufFile.Read(full);
        var arch = gguf.Architecture;
        if (arch is null || !GgufArchitectures.IsSupported(arch))
            throw new ModelLoadException(full, $"architecture '{arch ?? "(none)"}' is not supported by llama.cpp v0.5.0");
        LlamaNativeLibrary.EnsureLoaded(runtime, logger);
        var handle = SafeLlamaModelHandle.Load(full, parameters, progress, cancellationToken);
        return new LlamaModel(full, gguf, handle);
    }

    public int[] Tokenize(string text, bool addSpecial, bool parseSpecial) => Handle.Tokenize(text, addSpecial, parseSpecial);

    public string Detokenize(ReadOnlySpan<int> tokens, bool renderSpecial = false) => Handle.Detokenize(tokens, removeSpecial: false, unparseSpecial: renderSpecial);

    public void Dispose() => Handle.Dispose();
}
