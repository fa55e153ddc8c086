namespace AgentHost.Server.Protocol;

// Token probabilities as OpenAI writes them: chat completions' choice.logprobs.content[], and the legacy completions'
// parallel arrays. logprob is the natural log; bytes are the token's UTF-8 bytes (a token may end mid-character).

internal sealed class ChatLogprobsDto
{
    public required IReadOnlyList<ChatTokenLogprobDto> Content { get; init; }
}

internal sealed class ChatTokenLogprobDto
{
    public required string Token { get; init; }
    public float Logprob { get; init; }
    public required IReadOnlyList<int> Bytes { get; init; }
    public IReadOnlyList<ChatTopLogprobDto> TopLogprobs { get; init; } = [];
}

internal sealed class ChatTopLogprobDto
{
    public required string Token { get; init; }
    public float Logprob { get; init; }
    public required IReadOnlyList<int> Bytes { get; init; }
}

/// <summary>POST /v1/completions' choice.logprobs: one entry per token in each list.</summary>
internal sealed class CompletionLogprobsDto
{
    public required IReadOnlyList<string> Tokens { get; init; }
    public required IReadOnlyList<float> TokenLogprobs { get; init; }
    /// <summary>Per token: the alternatives' text → logprob (the first of two alternatives with the same text wins).</summary>
    public required IReadOnlyList<Dictionary<string, float>> TopLogprobs { get; init; }
    public required IReadOnlyList<int> TextOffset { get; init; }
}

/// <summary>Where the request's time went, under llama-server's names.</summary>
internal sealed class TimingsDto
{
    public int CacheN { get; init; }
    public int PromptN { get; init; }
    public double PromptMs { get; init; }
    public double PromptPerTokenMs { get; init; }
    public double PromptPerSecond { get; init; }
    public int PredictedN { get; init; }
    public double PredictedMs { get; init; }
    public double PredictedPerTokenMs { get; init; }
    public double PredictedPerSecond { get; init; }
}
