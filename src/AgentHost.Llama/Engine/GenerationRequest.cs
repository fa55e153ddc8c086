using AgentHost.Native;

namespace AgentHost.Llama.Engine;

/// <summary>Why generation ended.</summary>
public enum GenerationFinishReason
{
    /// <summary>An end-of-generation token or a stop sequence.</summary>
    Stop,
    /// <summary>MaxTokens reached, or the context window is full.</summary>
    Length,
}

/// <summary>One completion request to the engine: the prompt as text or tokens, sampling and stop rules.</summary>
public sealed record GenerationRequest
{
    /// <summary>Prompt text, tokenized with <see cref="AddSpecialTokens"/> and <see cref="ParseSpecialTokens"/>.</summary>
    public string? Prompt { get; init; }
    /// <summary>Prompt tokens (instead of <see cref="Prompt"/>).</summary>
    public IReadOnlyList<int>? PromptTokens { get; init; }
    /// <summary>Add BOS/EOS as the vocabulary says (true for raw completion).</summary>
    public bool AddSpecialTokens { get; init; } = true;
    /// <summary>Turn special-token text in the prompt (chat templates) into special tokens.</summary>
    public bool ParseSpecialTokens { get; init; }
    /// <summary>Most tokens to generate; null = until the context is full.</summary>
    public int? MaxTokens { get; init; }
    public IReadOnlyList<string> StopSequences { get; init; } = [];
    public SamplerSettings Sampling { get; init; } = new();
    /// <summary>Render control tokens into the output text.</summary>
    public bool RenderSpecialTokens { get; init; }
    /// <summary>Keep generating past end-of-generation tokens (benchmarks, like llama-server's ignore_eos).</summary>
    public bool IgnoreEndOfGeneration { get; init; }
    /// <summary>
    /// An update per token (true), or the whole text in the final update only (false): a caller that waits for the
    /// whole answer is then not woken for every token, which matters with many requests decoding together.
    /// </summary>
    public bool StreamTokens { get; init; } = true;
}

/// <summary>A piece of streamed output. The last update has <see cref="FinishReason"/> set.</summary>
public sealed record GenerationUpdate
{
    public string Text { get; init; } = "";
    public int? Token { get; init; }
    public GenerationFinishReason? FinishReason { get; init; }
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    /// <summary>Prompt tokens served from the KV cache instead of being evaluated.</summary>
    public int CachedPromptTokens { get; init; }
}

/// <summary>A whole completion.</summary>
public sealed record GenerationResult(string Text, GenerationFinishReason FinishReason, int PromptTokens, int CompletionTokens, int CachedPromptTokens);
