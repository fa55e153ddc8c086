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
    /// <summary>
    /// Null: no probabilities. 0..<see cref="MaxTopLogprobs"/>: every generated token carries its log-probability
    /// and this many most likely alternatives (<see cref="GenerationUpdate.Logprobs"/>), from the candidates left
    /// after the sampler chain. Costs a pass over the vocabulary per token.
    /// </summary>
    public int? TopLogprobs { get; init; }
    /// <summary>A limit on thinking tokens; null: the model thinks as long as it likes.</summary>
    public ReasoningBudget? ReasoningBudget { get; init; }

    /// <summary>Most alternatives per token <see cref="TopLogprobs"/> may ask for (OpenAI's limit for top_logprobs).</summary>
    public const int MaxTopLogprobs = 20;
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
    /// <summary>
    /// With <see cref="GenerationRequest.TopLogprobs"/>: the tokens this update covers (streaming: usually its one
    /// token; otherwise every token, on the final update). The token that completes a stop sequence is left out.
    /// </summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }
    /// <summary>On the final update: where the time went.</summary>
    public GenerationTimings? Timings { get; init; }
}

/// <summary>A generated token with its natural-log probability and the most likely alternatives at its position.</summary>
/// <param name="Text">The token's piece as text (a piece that ends inside a UTF-8 character shows U+FFFD; see <paramref name="Bytes"/>).</param>
/// <param name="TextOffset">Characters of generated text before this token's text.</param>
public sealed record TokenLogprob(int Token, string Text, byte[] Bytes, float Logprob, int TextOffset, IReadOnlyList<TokenAlternative> TopLogprobs);

/// <summary>One of the most likely tokens at a position.</summary>
public sealed record TokenAlternative(int Token, string Text, byte[] Bytes, float Logprob);

/// <summary>
/// Where a request's time went, as llama-server reports it: prompt evaluation (admission to the first sampled
/// token) and generation (from there to the end). Time queued for a slot is not counted.
/// </summary>
public sealed record GenerationTimings(int CachedTokens, int PromptTokens, double PromptMs, int GeneratedTokens, double GenerationMs)
{
    public double PromptPerTokenMs => PromptTokens > 0 ? PromptMs / PromptTokens : 0;
    public double PromptPerSecond => PromptMs > 0 ? PromptTokens * 1000.0 / PromptMs : 0;
    public double GenerationPerTokenMs => GeneratedTokens > 0 ? GenerationMs / GeneratedTokens : 0;
    public double GenerationPerSecond => GenerationMs > 0 ? GeneratedTokens * 1000.0 / GenerationMs : 0;
}

/// <summary>A whole completion.</summary>
public sealed record GenerationResult(string Text, GenerationFinishReason FinishReason, int PromptTokens, int CompletionTokens, int CachedPromptTokens);
