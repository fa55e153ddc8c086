namespace AgentHost.Gguf;

/// <summary>
/// The shape of a synthetic (random-weight) decoder model for <see cref="SyntheticModelWriter"/>: a "llama" or "qwen2"
/// transformer whose GGUF llama.cpp loads and runs. Use a preset and adjust it with <c>with { ... }</c>.
/// </summary>
public sealed record SyntheticModelSpec
{
    /// <summary>general.architecture: "llama" or "qwen2" (qwen2 adds q/k/v biases).</summary>
    public required string Architecture { get; init; }

    /// <summary>general.name written into the file.</summary>
    public string Name { get; init; } = "synthetic";

    /// <summary>n_embd: width of the residual stream.</summary>
    public required int EmbeddingLength { get; init; }

    /// <summary>n_layer: number of transformer blocks.</summary>
    public required int BlockCount { get; init; }

    /// <summary>n_head: attention (query) heads.</summary>
    public required int HeadCount { get; init; }

    /// <summary>n_head_kv: key/value heads (grouped-query attention when fewer than <see cref="HeadCount"/>).</summary>
    public required int HeadCountKv { get; init; }

    /// <summary>n_ff: width of the feed-forward layer.</summary>
    public required int FeedForwardLength { get; init; }

    /// <summary>Training context length ({arch}.context_length).</summary>
    public required int ContextLength { get; init; }

    /// <summary>RoPE frequency base ({arch}.rope.freq_base).</summary>
    public float RopeFreqBase { get; init; } = 10000f;

    /// <summary>RMS norm epsilon ({arch}.attention.layer_norm_rms_epsilon).</summary>
    public float RmsEpsilon { get; init; } = 1e-6f;

    /// <summary>Storage type of the matrices: F32, F16 or Q8_0 (1-D tensors always stay F32, as in llama.cpp's files).</summary>
    public GgmlType TensorType { get; init; } = GgmlType.F32;

    /// <summary>Seed of the weights: the same spec and seed give a byte-identical file.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>True to omit output.weight so llama.cpp reuses token_embd.weight (tied embeddings, as Qwen2.5 0.5B/1.5B).</summary>
    public bool TiedEmbeddings { get; init; }

    /// <summary>Width of one attention head (n_embd / n_head).</summary>
    public int HeadDimension => EmbeddingLength / HeadCount;

    /// <summary>A very small qwen2-shaped model (64 wide, 2 layers, 4 heads, 2 KV heads, ff 128) that loads in milliseconds.</summary>
    public static SyntheticModelSpec Tiny => new()
    {
        Architecture = "qwen2",
        Name = "synthetic-tiny",
        EmbeddingLength = 64,
        BlockCount = 2,
        HeadCount = 4,
        HeadCountKv = 2,
        FeedForwardLength = 128,
        ContextLength = 2048,
        RopeFreqBase = 10000f,
        RmsEpsilon = 1e-6f,
        TiedEmbeddings = true,
    };

    /// <summary>The Qwen2.5-0.5B shape: 896 wide, 24 layers, 14 heads, 2 KV heads, ff 4864, tied embeddings, context 32768, RoPE base 1e6.</summary>
    public static SyntheticModelSpec Qwen25_0_5B => new()
    {
        Architecture = "qwen2",
        Name = "synthetic-qwen2.5-0.5b",
        EmbeddingLength = 896,
        BlockCount = 24,
        HeadCount = 14,
        HeadCountKv = 2,
        FeedForwardLength = 4864,
        ContextLength = 32768,
        RopeFreqBase = 1000000f,
        RmsEpsilon = 1e-6f,
        TiedEmbeddings = true,
    };

    /// <summary>The Qwen2.5-1.5B shape: 1536 wide, 28 layers, 12 heads, 2 KV heads, ff 8960, tied embeddings, context 32768, RoPE base 1e6.</summary>
    public static SyntheticModelSpec Qwen25_1_5B => new()
    {
        Architecture = "qwen2",
        Name = "synthetic-qwen2.5-1.5b",
        EmbeddingLength = 1536,
        BlockCount = 28,
        HeadCount = 12,
        HeadCountKv = 2,
        FeedForwardLength = 8960,
        ContextLength = 32768,
        RopeFreqBase = 1000000f,
        RmsEpsilon = 1e-6f,
        TiedEmbeddings = true,
    };

    /// <summary>Checks the spec describes a model llama.cpp can load.</summary>
    /// <exception cref="ArgumentException">Names the first inconsistent property.</exception>
    public void Validate()
    {
        if (Architecture is not ("llama" or "qwen2"))
            throw new ArgumentException($"Architecture '{Architecture}' is not supported; use \"llama\" or \"qwen2\".", nameof(Architecture));
        Positive(EmbeddingLength, nameof(EmbeddingLength));
        Positive(BlockCount, nameof(BlockCount));
        Positive(HeadCount, nameof(HeadCount));
        Positive(HeadCountKv, nameof(HeadCountKv));
        Positive(FeedForwardLength, nameof(FeedForwardLength));
        Positive(ContextLength, nameof(ContextLength));
        if (EmbeddingLength % HeadCount != 0)
            throw new ArgumentException($"EmbeddingLength {EmbeddingLength} is not a multiple of HeadCount {HeadCount}.", nameof(HeadCount));
        if (HeadDimension % 2 != 0)
            throw new ArgumentException($"The head width {HeadDimension} must be even for RoPE.", nameof(HeadCount));
        if (HeadCount % HeadCountKv != 0)
            throw new ArgumentException($"HeadCount {HeadCount} is not a multiple of HeadCountKv {HeadCountKv}.", nameof(HeadCountKv));
        if (TensorType is not (GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0))
            throw new ArgumentException($"TensorType {TensorType} is not supported; use F32, F16 or Q8_0.", nameof(TensorType));
        var block = GgmlTypeTraits.BlockSize(TensorType);
        if (EmbeddingLength % block != 0 || FeedForwardLength % block != 0)
            throw new ArgumentException($"{TensorType} rows need multiples of {block} values: EmbeddingLength {EmbeddingLength} and FeedForwardLength {FeedForwardLength}.", nameof(TensorType));
        if (!float.IsFinite(RopeFreqBase) || RopeFreqBase <= 0) throw new ArgumentException("RopeFreqBase must be positive.", nameof(RopeFreqBase));
        if (!float.IsFinite(RmsEpsilon) || RmsEpsilon <= 0) throw new ArgumentException("RmsEpsilon must be positive.", nameof(RmsEpsilon));
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentException($"{name} must be positive, not {value}.", name);
    }
}
