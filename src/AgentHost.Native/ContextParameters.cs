using AgentHost.Native.Interop;

namespace AgentHost.Native;

/// <summary>Managed view of llama_context_params.</summary>
public sealed record ContextParameters
{
    /// <summary>Total context (all sequences) in tokens; 0 = the model's training context.</summary>
    public uint ContextSize { get; init; } = 4096;
    public uint BatchSize { get; init; } = 2048;
    public uint MicroBatchSize { get; init; } = 512;
    /// <summary>Number of sequences (parallel slots).</summary>
    public uint Sequences { get; init; } = 1;
    public int Threads { get; init; } = DefaultThreads();
    public int BatchThreads { get; init; } = DefaultThreads();
    public LlamaFlashAttnType FlashAttention { get; init; } = LlamaFlashAttnType.Auto;
    public KvCacheType KeyCacheType { get; init; } = KvCacheType.F16;
    public KvCacheType ValueCacheType { get; init; } = KvCacheType.F16;
    public bool Embeddings { get; init; }
    /// <summary>One KV buffer shared by all sequences (good when they share prefixes); else n_ctx is split per sequence.</summary>
    public bool UnifiedKvCache { get; init; }
    public bool OffloadKqv { get; init; } = true;

    public static int DefaultThreads() => Math.Max(1, Environment.ProcessorCount);

    internal LlamaContextParams ToNative()
    {
        var p = NativeMethods.llama_context_default_params();
        p.NCtx = ContextSize;
        p.NBatch = BatchSize;
        p.NUbatch = Math.Min(MicroBatchSize, BatchSize);
        p.NSeqMax = Sequences;
        p.NThreads = Threads;
        p.NThreadsBatch = BatchThreads;
        p.FlashAttnType = FlashAttention;
        p.TypeK = KeyCacheType;
        p.TypeV = ValueCacheType;
        p.Embeddings = Embeddings;
        p.KvUnified = UnifiedKvCache;
        p.OffloadKqv = OffloadKqv;
        p.NoPerf = false;
        return p;
    }
}
