namespace AgentHost.Llama.Chat;

/// <summary>
/// Keys of <see cref="Microsoft.Extensions.AI.AdditionalPropertiesDictionary"/> entries <see cref="LlamaChatClient"/> reads and
/// writes for what MEAI has no property of its own: token probabilities and timings.
/// </summary>
public static class LlamaChatProperties
{
    /// <summary>
    /// ChatOptions.AdditionalProperties: an int, 0..<see cref="Engine.GenerationRequest.MaxTopLogprobs"/>, asks for
    /// log-probabilities with that many alternatives per token (OpenAI's <c>top_logprobs</c>).
    /// </summary>
    public const string TopLogprobs = "top_logprobs";

    /// <summary>
    /// ChatOptions.AdditionalProperties: <c>true</c> asks for log-probabilities without alternatives (OpenAI's
    /// <c>logprobs</c>). ChatResponseUpdate / ChatResponse.AdditionalProperties: the
    /// <c>IReadOnlyList&lt;TokenLogprob&gt;</c> of the tokens the update (or the whole response) carries.
    /// </summary>
    public const string Logprobs = "logprobs";

    /// <summary>ChatResponseUpdate (the final one) / ChatResponse.AdditionalProperties: the request's <c>GenerationTimings</c>.</summary>
    public const string Timings = "timings";
}
