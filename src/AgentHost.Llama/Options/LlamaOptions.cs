using System.ComponentModel.DataAnnotations;
using AgentHost.Llama.Engine;
using AgentHost.Native;

namespace AgentHost.Llama.Options;

/// <summary>
/// Every setting of the local engine, bound from the "Llama" section of appsettings.json. One type, so the whole
/// configuration surface can be read in one place (like llama-server's flags).
/// </summary>
public sealed class LlamaOptions
{
    public const string SectionName = "Llama";

    /// <summary>Path of the GGUF model to load.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Id reported as ChatResponse.ModelId and by /v1/models; defaults to the file name.</summary>
    public string? ModelId { get; set; }

    public LlamaBackendKind Backend { get; set; } = LlamaBackendKind.Auto;

    /// <summary>A folder with the user's own llama.cpp shared libraries.</summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>Context window per sequence (slot), in tokens.</summary>
    [Range(16, 1 << 24)]
    public int ContextSize { get; set; } = 4096;

    /// <summary>Parallel sequences (slots) decoded together.</summary>
    [Range(1, 256)]
    public int Parallel { get; set; } = 1;

    /// <summary>
    /// One KV buffer shared by all slots instead of ContextSize cells per slot. Off by default (as llama-server with
    /// -np N): shared, every token attends over the cells of all slots, which slows generation as slots fill, and a
    /// slot cannot use more than ContextSize anyway.
    /// </summary>
    public bool UnifiedKvCache { get; set; }

    /// <summary>
    /// Memory (MiB) for the KV states of conversations that lost their slot to another request; a returning
    /// conversation restores its history from here instead of evaluating it again. Least recently used goes first;
    /// 0 turns it off.
    /// </summary>
    [Range(0, 1 << 20)]
    public int PromptCacheMiB { get; set; } = 256;

    /// <summary>Threads for generation and prompt processing; 0 = all cores.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Logical batch: most tokens per llama_decode call.</summary>
    [Range(1, 1 << 20)]
    public int BatchSize { get; set; } = 2048;

    [Range(1, 1 << 20)]
    public int MicroBatchSize { get; set; } = 512;

    /// <summary>Layers offloaded to the GPU: -1 = all, 0 = none.</summary>
    [Range(-1, 100000)]
    public int GpuLayers { get; set; } = -1;

    public int MainGpu { get; set; }

    public LlamaFlashAttnType FlashAttention { get; set; } = LlamaFlashAttnType.Auto;

    public KvCacheType KvCacheType { get; set; } = KvCacheType.F16;

    /// <summary>Chat template used when the model carries none (or to override it): a built-in name such as "chatml", or Jinja text.</summary>
    public string? ChatTemplate { get; set; }

    /// <summary>Most requests waiting for a slot before new ones are refused as busy.</summary>
    [Range(1, 100000)]
    public int QueueLimit { get; set; } = 256;

    public GenerationDefaults Defaults { get; set; } = new();

    /// <summary>Thinking: whether models think first, how much, and whether thinking is pulled out of the content.</summary>
    public ReasoningDefaults Reasoning { get; set; } = new();

    internal ContextParameters ToContextParameters(bool embeddings = false)
    {
        var threads = Threads > 0 ? Threads : ContextParameters.DefaultThreads();
        return new ContextParameters
        {
            ContextSize = (uint)(ContextSize * Parallel),
            BatchSize = (uint)BatchSize,
            MicroBatchSize = (uint)Math.Min(MicroBatchSize, BatchSize),
            Sequences = (uint)Parallel,
            Threads = threads,
            BatchThreads = threads,
            FlashAttention = FlashAttention,
            KeyCacheType = KvCacheType,
            ValueCacheType = KvCacheType,
            Embeddings = embeddings,
            UnifiedKvCache = UnifiedKvCache,
        };
    }

    internal ModelLoadParameters ToModelParameters() => new() { GpuLayers = GpuLayers, MainGpu = MainGpu };

    internal NativeRuntimeOptions ToRuntimeOptions() => new() { Backend = Backend, NativeLibraryPath = NativeLibraryPath };
}

/// <summary>Reasoning settings used when a request does not set them (per request: ChatOptions.Reasoning or
/// AdditionalProperties <c>enable_thinking</c>, <c>reasoning_effort</c>, <c>reasoning_format</c>, <c>chat_template_kwargs</c>).</summary>
public sealed class ReasoningDefaults
{
    /// <summary>Whether thinking models think before answering (the template's <c>enable_thinking</c>).</summary>
    public bool EnableThinking { get; set; } = true;

    /// <summary><c>low</c>, <c>medium</c> or <c>high</c> for templates that read <c>reasoning_effort</c>; null: the template's default.</summary>
    [RegularExpression("^(low|medium|high)$", ErrorMessage = "Llama:Reasoning:Effort must be low, medium or high")]
    public string? Effort { get; set; }

    /// <summary><c>auto</c>: thinking becomes reasoning content; <c>none</c>: it stays inline in the content.</summary>
    [RegularExpression("^(auto|none)$", ErrorMessage = "Llama:Reasoning:Format must be auto or none")]
    public string Format { get; set; } = "auto";

    /// <summary>Most thinking tokens before the engine closes the thinking block itself (llama-server's
    /// <c>--reasoning-budget</c>); -1: unlimited, 0: no thinking text at all.</summary>
    [Range(-1, ReasoningBudget.MaxTokens, ErrorMessage = "Llama:Reasoning:BudgetTokens must be -1 (unlimited) or between 0 and 1048576")]
    public int BudgetTokens { get; set; } = -1;
}

/// <summary>Generation settings used when a request does not set them.</summary>
public sealed class GenerationDefaults
{
    [Range(0.0, 100.0)]
    public float Temperature { get; set; } = 0.8f;

    [Range(0.0, 1.0)]
    public float TopP { get; set; } = 0.95f;

    [Range(0, 1000000)]
    public int TopK { get; set; } = 40;

    [Range(0.0, 1.0)]
    public float MinP { get; set; } = 0.05f;

    [Range(0.0, 10.0)]
    public float RepeatPenalty { get; set; } = 1.0f;

    /// <summary>Most tokens generated per request when the request does not say.</summary>
    [Range(1, 1 << 24)]
    public int MaxTokens { get; set; } = 1024;

    public uint? Seed { get; set; }
}
