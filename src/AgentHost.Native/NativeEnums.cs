namespace AgentHost.Native;

// Enums of llama.h / ggml.h with the same numeric values.

public enum LlamaSplitMode { None = 0, Layer = 1, Row = 2, Tensor = 3 }

public enum LlamaLoadMode { Auto = -1, None = 0, Mmap = 1, Mlock = 2, MmapMlock = 3, DirectIo = 4 }

public enum LlamaLazyMode { Off = 0, Auto = 1, On = 2 }

public enum LlamaContextType { Default = 0, Mtp = 1 }

public enum LlamaRopeScalingType { Unspecified = -1, None = 0, Linear = 1, Yarn = 2, LongRope = 3 }

public enum LlamaPoolingType { Unspecified = -1, None = 0, Mean = 1, Cls = 2, Last = 3, Rank = 4 }

public enum LlamaAttentionType { Unspecified = -1, Causal = 0, NonCausal = 1 }

public enum LlamaFlashAttnType { Auto = -1, Disabled = 0, Enabled = 1 }

/// <summary>ggml_type values usable for the KV cache (numbering as in ggml.h).</summary>
public enum KvCacheType { F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, BF16 = 30 }

public enum LlamaVocabType { None = 0, Spm = 1, Bpe = 2, Wpm = 3, Ugm = 4, Rwkv = 5, Plamo2 = 6, Test = 7 }
