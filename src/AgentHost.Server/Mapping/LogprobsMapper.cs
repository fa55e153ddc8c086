using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>The engine's token probabilities and timings → OpenAI's (and llama-server's) JSON shapes.</summary>
internal static class LogprobsMapper
{
    /// <summary>The probabilities LlamaChatClient put on an update or response, if any.</summary>
    public static IReadOnlyList<TokenLogprob>? From(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(LlamaChatProperties.Logprobs, out var value) == true ? value as IReadOnlyList<TokenLogprob> : null;

    public static GenerationTimings? TimingsFrom(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(LlamaChatProperties.Timings, out var value) == true ? value as GenerationTimings : null;

    public static ChatLogprobsDto ToChat(IEnumerable<TokenLogprob> tokens) => new()
    {
        Content = tokens.Select(t => new ChatTokenLogprobDto
        {
            Token = t.Text,
            Logprob = t.Logprob,
            Bytes = Bytes(t.Bytes),
            TopLogprobs = t.TopLogprobs.Select(a => new ChatTopLogprobDto { Token = a.Text, Logprob = a.Logprob, Bytes = Bytes(a.Bytes) }).ToList(),
        }).ToList(),
    };

    /// <summary>Legacy completions: parallel arrays; <paramref name="offsetShift"/> = characters before the generated text in the choice's text (an echoed prompt).</summary>
    public static CompletionLogprobsDto ToCompletion(IReadOnlyList<TokenLogprob> tokens, int offsetShift) => new()
    {
        Tokens = tokens.Select(t => t.Text).ToList(),
        TokenLogprobs = tokens.Select(t => t.Logprob).ToList(),
        TopLogprobs = tokens.Select(t =>
        {
            var top = new Dictionary<string, float>(StringComparer.Ordinal);
            foreach (var a in t.TopLogprobs) top.TryAdd(a.Text, a.Logprob);
            return top;
        }).ToList(),
        TextOffset = tokens.Select(t => t.TextOffset + offsetShift).ToList(),
    };

    public static TimingsDto? ToTimings(GenerationTimings? timings) => timings is null ? null : new TimingsDto
    {
        CacheN = timings.CachedTokens,
        PromptN = timings.PromptTokens,
        PromptMs = timings.PromptMs,
        PromptPerTokenMs = timings.PromptPerTokenMs,
        PromptPerSecond = timings.PromptPerSecond,
        PredictedN = timings.GeneratedTokens,
        PredictedMs = timings.GenerationMs,
        PredictedPerTokenMs = timings.GenerationPerTokenMs,
        PredictedPerSecond = timings.GenerationPerSecond,
    };

    private static int[] Bytes(byte[] bytes) => Array.ConvertAll(bytes, b => (int)b);
}
