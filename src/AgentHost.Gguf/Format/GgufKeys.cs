namespace AgentHost.Gguf;

/// <summary>Metadata key names this library reads or writes (the GGUF spec and src/llama-arch.cpp).</summary>
public static class GgufKeys
{
#pragma warning disable CS1591 // each constant is the key it names
    public const string Architecture = "general.architecture";
    public const string Name = "general.name";
    public const string FileType = "general.file_type";
    public const string Alignment = "general.alignment";
    public const string QuantizationVersion = "general.quantization_version";

    public const string TokenizerPrefix = "tokenizer.";
    public const string TokenizerModel = "tokenizer.ggml.model";
    public const string TokenizerPre = "tokenizer.ggml.pre";
    public const string Tokens = "tokenizer.ggml.tokens";
    public const string BosTokenId = "tokenizer.ggml.bos_token_id";
    public const string EosTokenId = "tokenizer.ggml.eos_token_id";
    public const string PadTokenId = "tokenizer.ggml.padding_token_id";
    public const string ChatTemplate = "tokenizer.chat_template";

    // Per-architecture hyperparameters: prefix with "{arch}." (see ForArchitecture).
    public const string ContextLength = "context_length";
    public const string EmbeddingLength = "embedding_length";
    public const string BlockCount = "block_count";
    public const string FeedForwardLength = "feed_forward_length";
    public const string HeadCount = "attention.head_count";
    public const string HeadCountKv = "attention.head_count_kv";
    public const string RmsEpsilon = "attention.layer_norm_rms_epsilon";
    public const string RopeFreqBase = "rope.freq_base";
    public const string RopeDimensionCount = "rope.dimension_count";
    public const string VocabSize = "vocab_size";
#pragma warning restore CS1591

    /// <summary>"{architecture}.{suffix}", e.g. ForArchitecture("qwen2", BlockCount) = "qwen2.block_count".</summary>
    public static string ForArchitecture(string architecture, string suffix) => $"{architecture}.{suffix}";
}
