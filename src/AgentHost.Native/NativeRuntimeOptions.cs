namespace AgentHost.Native;

/// <summary>Where the llama.cpp runtime comes from and which backend to use.</summary>
public sealed record NativeRuntimeOptions
{
    /// <summary>Auto (CUDA if it loads, else CPU), Cpu, or Cuda (fail if CUDA cannot be used).</summary>
    public LlamaBackendKind Backend { get; init; } = LlamaBackendKind.Auto;

    /// <summary>
    /// A folder holding the user's own llama.cpp build (libllama.so, libggml*.so), or null to use the pinned
    /// runtime the build placed next to the app.
    /// </summary>
    public string? NativeLibraryPath { get; init; }

    /// <summary>Folder with the CUDA build (libggml-cuda.so); default: the cuda/ folder next to the app, then the AgentHost cache.</summary>
    public string? CudaLibraryPath { get; init; }
}
