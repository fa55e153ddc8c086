using AgentHost.Native.Interop;

namespace AgentHost.Native;

/// <summary>Managed view of llama_model_params: what the host lets a user choose when loading weights.</summary>
public sealed record ModelLoadParameters
{
    /// <summary>Layers to offload to the GPU: -1 = all, 0 = none.</summary>
    public int GpuLayers { get; init; } = -1;
    public int MainGpu { get; init; }
    public LlamaSplitMode SplitMode { get; init; } = LlamaSplitMode.Layer;
    public bool UseMmap { get; init; } = true;
    public bool VocabOnly { get; init; }
    public bool CheckTensors { get; init; }

    internal LlamaModelParams ToNative()
    {
        var p = NativeMethods.llama_model_default_params();
        p.NGpuLayers = GpuLayers;
        p.MainGpu = MainGpu;
        p.SplitMode = SplitMode;
        p.LoadMode = UseMmap ? LlamaLoadMode.Mmap : LlamaLoadMode.None;
        p.VocabOnly = VocabOnly;
        p.CheckTensors = CheckTensors;
        return p;
    }
}
