namespace AgentHost.Native;

/// <summary>Which ggml backend the host loads. <see cref="Auto"/> tries CUDA and falls back to CPU.</summary>
public enum LlamaBackendKind
{
    Auto,
    Cpu,
    Cuda,
}
