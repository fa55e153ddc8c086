using System.Globalization;
using System.Text.Json;
using AgentHost.Llama;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using AgentHost.Native;
using AgentHost.Server.Errors;
using AgentHost.Server.Protocol;

namespace AgentHost.Server.Mapping;

/// <summary>One prompt of a completions request, tokenized and checked, and the text echo repeats.</summary>
internal sealed record CompletionPrompt(int[] Tokens, string Text);

/// <summary>A completions request turned into engine requests: one per prompt, sharing every other setting.</summary>
internal sealed record MappedCompletionRequest(IReadOnlyList<CompletionPrompt> Prompts, GenerationRequest Settings, bool Stream, bool IncludeUsage, bool Echo)
{
    public GenerationRequest For(CompletionPrompt prompt) => Settings with { PromptTokens = prompt.Tokens };
}

/// <summary>
/// OpenAI legacy-completions JSON → engine requests, validating as OpenAI does (every refusal a 400 naming the
/// parameter). Text prompts are tokenized like llama-server's: BOS as the vocabulary says, special-token text parsed.
/// </summary>
internal static class CompletionRequestMapper
{
    /// <summary>Most prompts in one request (OpenAI's limit for a prompt array).</summary>
    public const int MaxPrompts = 2048;

    public static MappedCompletionRequest Map(CompletionRequest request, LlamaModel model, GenerationDefaults defaults, int maxTokensLimit, int contextSize)
    {
        var stream = request.Stream ?? false;
        if (request.StreamOptions is not null && !stream)
            throw OpenAiRequestException.BadRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", "invalid_value");
        if (request.N is { } n && n != 1) throw OpenAiRequestException.BadRequest($"Only n=1 is supported, got {n}.", "n", "invalid_value");
        if (request.BestOf is { } bestOf && bestOf != 1) throw OpenAiRequestException.BadRequest($"Only best_of=1 is supported, got {bestOf}.", "best_of", "invalid_value");
        if (!string.IsNullOrEmpty(request.Suffix))
            throw OpenAiRequestException.BadRequest("'suffix' (fill-in-the-middle) is not supported by this server.", "suffix", "unsupported_parameter");
        var echo = request.Echo ?? false;
        int? logprobs = request.Logprobs is { } lp ? ChatRequestMapper.CheckTopLogprobs(lp, "logprobs") : null;
        if (echo && logprobs is not null)
            throw OpenAiRequestException.BadRequest("'echo' together with 'logprobs' is not supported: prompt tokens get no probabilities here.", "echo", "unsupported_parameter");
        var maxTokens = MaxTokens(request.MaxTokens, maxTokensLimit, defaults.MaxTokens);

        var sampling = new SamplerSettings
        {
            Temperature = ChatRequestMapper.InRange(request.Temperature, 0, 2, "temperature") ?? defaults.Temperature,
            TopP = ChatRequestMapper.InRange(request.TopP, 0, 1, "top_p") is { } topP ? (topP == 0 ? float.Epsilon : topP) : defaults.TopP,
            TopK = request.TopK is < 0 ? throw OpenAiRequestException.BadRequest($"{request.TopK} is less than the minimum of 0 - 'top_k'", "top_k", "invalid_value") : request.TopK ?? defaults.TopK,
            MinP = defaults.MinP,
            RepeatPenalty = defaults.RepeatPenalty,
            FrequencyPenalty = ChatRequestMapper.InRange(request.FrequencyPenalty, -2, 2, "frequency_penalty") ?? 0,
            PresencePenalty = ChatRequestMapper.InRange(request.PresencePenalty, -2, 2, "presence_penalty") ?? 0,
            Seed = request.Seed is { } seed ? unchecked((uint)seed) : defaults.Seed ?? (uint)Random.Shared.Next(),
            LogitBias = LogitBias(request.LogitBias, model.VocabCount),
        };
        var prompts = Prompts(request.Prompt, model, contextSize);
        var settings = new GenerationRequest
        {
            MaxTokens = maxTokens,
            StopSequences = ChatRequestMapper.MapStop(request.Stop) ?? [],
            Sampling = sampling,
            TopLogprobs = logprobs,
        };
        return new MappedCompletionRequest(prompts, settings, stream, stream && request.StreamOptions?.IncludeUsage == true, echo);
    }

    private static int MaxTokens(int? asked, int limit, int defaultMaxTokens)
    {
        if (asked is not { } value) return Math.Min(limit, defaultMaxTokens);
        if (value < 1) throw OpenAiRequestException.BadRequest($"{value} is less than the minimum of 1 - 'max_tokens'", "max_tokens", "invalid_value");
        if (value > limit)
            throw OpenAiRequestException.BadRequest($"max_tokens is too large: {value}. This model supports at most {limit} completion tokens, whereas you provided {value}.", "max_tokens", "invalid_value");
        return value;
    }

    private static Dictionary<int, float>? LogitBias(Dictionary<string, float>? bias, int vocabCount)
    {
        if (bias is null || bias.Count == 0) return null;
        var result = new Dictionary<int, float>(bias.Count);
        foreach (var (key, value) in bias)
        {
            var param = $"logit_bias.{key}";
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var token) || token >= vocabCount)
                throw OpenAiRequestException.BadRequest($"Invalid key in 'logit_bias': '{key}' is not a token id of this model (0..{vocabCount - 1}).", param, "invalid_value");
            if (!float.IsFinite(value) || value is < -100 or > 100)
                throw OpenAiRequestException.BadRequest($"Invalid value in 'logit_bias' for token {key}: {value} is outside -100..100.", param, "invalid_value");
            result[token] = value;
        }
        return result;
    }

    private static List<CompletionPrompt> Prompts(JsonElement? prompt, LlamaModel model, int contextSize)
    {
        if (prompt is not { } value || value.ValueKind == JsonValueKind.Null)
            throw OpenAiRequestException.BadRequest("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
        if (value.ValueKind == JsonValueKind.String) return [FromText(value.GetString()!, model, contextSize, "prompt")];
        if (value.ValueKind != JsonValueKind.Array)
            throw OpenAiRequestException.BadRequest("'prompt' must be a string, an array of strings, an array of token ids or an array of token-id arrays.", "prompt", "invalid_type");
        var count = value.GetArrayLength();
        if (count == 0) throw OpenAiRequestException.BadRequest("Invalid 'prompt': empty array. Expected a string, or an array with minimum length 1.", "prompt", "empty_array");
        if (value[0].ValueKind == JsonValueKind.Number) return [FromTokens(TokenIdArray.Read(value, "prompt"), model, contextSize, "prompt")];
        if (count > MaxPrompts) throw OpenAiRequestException.BadRequest($"At most {MaxPrompts} prompts per request, got {count}.", "prompt", "invalid_value");

        var list = new List<CompletionPrompt>(count);
        var arrays = value[0].ValueKind == JsonValueKind.Array;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"prompt[{list.Count}]";
            if (arrays)
            {
                if (item.ValueKind != JsonValueKind.Array)
                    throw OpenAiRequestException.BadRequest($"{path} must be an array of token ids, like the other prompts.", path, "invalid_type");
                list.Add(FromTokens(TokenIdArray.Read(item, path), model, contextSize, path));
            }
            else
            {
                if (item.ValueKind != JsonValueKind.String)
                    throw OpenAiRequestException.BadRequest($"{path} must be a string, like the other prompts.", path, "invalid_type");
                list.Add(FromText(item.GetString()!, model, contextSize, path));
            }
        }
        return list;
    }

    private static CompletionPrompt FromText(string text, LlamaModel model, int contextSize, string path) =>
        Checked(new CompletionPrompt(model.Tokenize(text, addSpecial: true, parseSpecial: true), text), contextSize, path);

    private static CompletionPrompt FromTokens(int[] tokens, LlamaModel model, int contextSize, string path)
    {
        TokenIdArray.CheckInVocabulary(tokens, model.VocabCount, path);
        return Checked(new CompletionPrompt(tokens, tokens.Length == 0 ? "" : model.Detokenize(tokens)), contextSize, path);
    }

    private static CompletionPrompt Checked(CompletionPrompt prompt, int contextSize, string path)
    {
        if (prompt.Tokens.Length == 0)
            throw OpenAiRequestException.BadRequest($"Invalid '{path}': it has no tokens (this vocabulary adds no BOS to an empty text).", path, "empty_array");
        if (prompt.Tokens.Length >= contextSize)
            throw OpenAiRequestException.BadRequest(
                $"This model's maximum context length is {contextSize} tokens. However, your prompt resulted in {prompt.Tokens.Length} tokens. Please reduce the length of the prompt.",
                path, "context_length_exceeded");
        return prompt;
    }
}
