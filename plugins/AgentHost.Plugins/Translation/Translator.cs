using AgentHost.Plugins.Structured;
using AgentHost.Plugins.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Translation;

/// <summary>
/// Translation over the Translation prompt functions. Untranslatable spans are protected with tokens (see
/// <see cref="ProtectedText"/>); text longer than the context window is split at paragraph and sentence boundaries
/// by token budget (<see cref="TextChunker"/>), chunks are translated concurrently and reassembled in order. A chunk
/// whose translation loses or duplicates a token is translated again piece by piece between the spans, so spans
/// always come back byte-for-byte whatever the model does.
/// </summary>
public sealed class Translator(PromptLibrary prompts, ITokenCounter tokens, IOptions<AgentHostPluginOptions> options, ILogger<Translator>? logger = null)
{
    public const string PluginName = "Translation";

    /// <summary>Heuristic detections at or above this confidence are used without asking the model.</summary>
    public const double HeuristicConfidence = 0.8;

    // Chat-template markers, role names and the like around the rendered prompt.
    private const int TemplateMargin = 48;

    private readonly AgentHostPluginOptions _options = options.Value;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Checks a request without translating it (the HTTP service answers 400 from this before any model work).</summary>
    public (Language? Source, Language Target) Validate(TranslationRequest request, string prefix = "")
    {
        Require.Text(request.Text, prefix + "text", _options.MaxInputCharacters);
        var target = Languages.Resolve(request.TargetLanguage, prefix + "target_language");
        Language? source = IsAuto(request.SourceLanguage) ? null : Languages.Resolve(request.SourceLanguage, prefix + "source_language");
        return (source, target);
    }

    public async Task<TranslationResult> TranslateAsync(Kernel kernel, TranslationRequest request, CancellationToken cancellationToken = default)
    {
        var (source, target) = Validate(request);
        var detected = false;
        if (source is null)
        {
            var detection = await DetectAsync(kernel, request.Text, cancellationToken).ConfigureAwait(false);
            if (!detection.Ok || detection.Value!.Language is null)
                throw new PluginInputException("source_language", $"could not be detected ({detection.Error ?? "no language recognised"}); pass it explicitly");
            source = Languages.Get(detection.Value.Language);
            detected = true;
        }
        // Nothing to translate; zh to zh-Hant is a conversion and does go to the model.
        if (source.Code == target.Code)
            return new TranslationResult(request.Text, source.Code, detected, target.Code, 0, 0, 0);

        var protectedText = ProtectedText.Protect(request.Text, request.Glossary);
        var function = prompts[PluginName, "Translate"];
        var arguments = new Dictionary<string, object?>
        {
            ["source_language"] = source.Display,
            ["target_language"] = target.Display,
            ["formality"] = request.Formality.ToString().ToLowerInvariant(),
        };
        var budget = ChunkBudget(arguments);
        var chunks = TextChunker.Split(protectedText.Masked, budget, tokens);
        var outputs = new string[chunks.Count];
        var fallbacks = 0;
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelRequests, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            var (text, usedFallback) = await TranslateChunkAsync(kernel, function, arguments, chunk, ct).ConfigureAwait(false);
            outputs[chunk.Index] = text;
            if (usedFallback) Interlocked.Increment(ref fallbacks);
        }).ConfigureAwait(false);

        var translated = protectedText.Restore(string.Concat(outputs));
        return new TranslationResult(translated, source.Code, detected, target.Code, chunks.Count, protectedText.Spans.Count, fallbacks);
    }

    /// <summary>Translates several texts with the same settings; a failing item reports its error, the rest still translate.</summary>
    public async Task<IReadOnlyList<BatchItemResult>> TranslateBatchAsync(Kernel kernel, IReadOnlyList<string> texts, string targetLanguage,
        string? sourceLanguage = null, Formality formality = Formality.Default, Glossary? glossary = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new PluginInputException("texts", "must hold at least one text");
        if (texts.Count > _options.Translation.MaxBatchItems)
            throw new PluginInputException("texts", $"holds {texts.Count} texts; the limit is {_options.Translation.MaxBatchItems}");
        var requests = texts.Select(t => new TranslationRequest
        {
            Text = t,
            TargetLanguage = targetLanguage,
            SourceLanguage = sourceLanguage,
            Formality = formality,
            Glossary = glossary ?? Glossary.Empty,
        }).ToList();
        // Every item is checked before any is translated: bad input fails the whole call, naming the item.
        for (var i = 0; i < requests.Count; i++) Validate(requests[i], $"texts[{i}].");

        var results = new BatchItemResult[requests.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelRequests, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                results[i] = new BatchItemResult(i, await TranslateAsync(kernel, requests[i], ct).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (ex is PluginInputException or InvalidOperationException or KernelException)
            {
                results[i] = new BatchItemResult(i, null, ex.Message);
            }
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// The language of <paramref name="text"/>: the script/function-word heuristic when it is sure, otherwise the
    /// model (structured JSON); when the model's answer does not parse, the heuristic's guess, marked as such.
    /// </summary>
    public async Task<ToolResult<LanguageDetection>> DetectAsync(Kernel kernel, string text, CancellationToken cancellationToken = default)
    {
        Require.Text(text, "text", _options.MaxInputCharacters);
        // Markup, code and placeholders say nothing about the language: only the prose is looked at.
        var prose = string.Concat(ProtectedText.Segments(ProtectedText.Protect(text).Masked).Where(s => !s.IsToken).Select(s => s.Text));
        if (!string.IsNullOrWhiteSpace(prose)) text = prose;
        var heuristic = LanguageDetector.Detect(text);
        if (heuristic.Language is not null && heuristic.Confidence >= HeuristicConfidence) return ToolResult<LanguageDetection>.Success(heuristic);

        // The model sees a bounded sample: the language of the first few thousand characters is the language.
        var sample = text.Length <= 2000 ? text : text[..2000];
        var answer = await StructuredPrompt.InvokeAsync<ModelDetection>(prompts[PluginName, "DetectLanguage"], kernel, new KernelArguments { ["text"] = sample }, cancellationToken).ConfigureAwait(false);
        if (answer.Ok && Languages.TryResolve(answer.Value!.Language, out var language))
            return ToolResult<LanguageDetection>.Success(new LanguageDetection(language.Code, language.Name, Math.Round(Math.Clamp(answer.Value.Confidence, 0, 1), 2), "model"));
        var problem = answer.Ok ? $"the model answered an unknown language '{answer.Value!.Language}'" : answer.Error!;
        if (heuristic.Language is not null)
        {
            _logger.LogInformation("Language detection fell back to the heuristic: {Problem}", problem);
            return ToolResult<LanguageDetection>.Success(heuristic);
        }
        return ToolResult<LanguageDetection>.Failure(problem);
    }

    /// <summary>Tokens of source text per chunk: a third of what the context leaves after the prompt, since a translation may take twice the source's tokens.</summary>
    internal int ChunkBudget(IReadOnlyDictionary<string, object?> arguments)
    {
        var overhead = tokens.CountTokens(prompts.TemplateText(PluginName, "Translate")) + arguments.Values.Sum(v => tokens.CountTokens(v?.ToString() ?? "")) + TemplateMargin;
        var budget = (tokens.ContextSize - overhead) / 3;
        if (budget < 16)
            throw new InvalidOperationException($"The context window ({tokens.ContextSize} tokens) is too small for Translation.Translate: its prompt alone takes about {overhead} tokens. Raise Llama:ContextSize.");
        return budget;
    }

    private async Task<(string Text, bool Fallback)> TranslateChunkAsync(Kernel kernel, KernelFunction function, IReadOnlyDictionary<string, object?> arguments, TextChunk chunk, CancellationToken cancellationToken)
    {
        var (lead, core, trail) = SplitWhitespace(chunk.Text);
        if (!NeedsTranslation(core)) return (chunk.Text, false);
        var translated = await InvokeAsync(kernel, function, arguments, core, chunk.Tokens, cancellationToken).ConfigureAwait(false);
        if (ProtectedText.CheckTokens(core, translated) is not { } problem) return (lead + translated + trail, false);

        // The model lost or invented a token: translate only the text between the spans, keeping each span in place.
        _logger.LogInformation("Chunk {Index}: the translation did not keep its tokens ({Problem}); translating between the spans instead.", chunk.Index, problem);
        var rebuilt = new System.Text.StringBuilder();
        foreach (var (isToken, text) in ProtectedText.Segments(core))
        {
            var (segLead, segCore, segTrail) = SplitWhitespace(text);
            if (isToken || !NeedsTranslation(segCore))
            {
                rebuilt.Append(text);
                continue;
            }
            var piece = await InvokeAsync(kernel, function, arguments, segCore, tokens.CountTokens(segCore), cancellationToken).ConfigureAwait(false);
            // A stray bracket from the model would read as a token on restore.
            rebuilt.Append(segLead).Append(piece.Replace("⟦", "", StringComparison.Ordinal).Replace("⟧", "", StringComparison.Ordinal)).Append(segTrail);
        }
        return (lead + rebuilt + trail, true);
    }

    private async Task<string> InvokeAsync(Kernel kernel, KernelFunction function, IReadOnlyDictionary<string, object?> arguments, string text, int sourceTokens, CancellationToken cancellationToken)
    {
        // The output limit follows the chunk: about twice its tokens, never more than config.json allows.
        var settings = function.ExecutionSettings?.TryGetValue(PromptExecutionSettings.DefaultServiceId, out var configured) == true ? configured.Clone() : new PromptExecutionSettings();
        var configuredMax = settings.ExtensionData?.TryGetValue("max_tokens", out var max) == true ? Convert.ToInt32(max.ToString(), System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue;
        settings.ExtensionData ??= new Dictionary<string, object>();
        settings.ExtensionData["max_tokens"] = Math.Min(configuredMax, 2 * sourceTokens + 32);
        var args = new KernelArguments(settings) { ["text"] = text };
        foreach (var (name, value) in arguments) args[name] = value;
        var result = await function.InvokeAsync(kernel, args, cancellationToken).ConfigureAwait(false);
        return (result.GetValue<object>()?.ToString() ?? "").Trim();
    }

    /// <summary>Text with a letter outside the tokens needs the model; tokens, digits and punctuation alone do not.</summary>
    private static bool NeedsTranslation(string text)
    {
        foreach (var (isToken, part) in ProtectedText.Segments(text))
            if (!isToken && part.Any(char.IsLetter)) return true;
        return false;
    }

    private static (string Lead, string Core, string Trail) SplitWhitespace(string text)
    {
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
        var end = text.Length;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return (text[..start], text[start..end], text[end..]);
    }

    private static bool IsAuto(string? language) => string.IsNullOrWhiteSpace(language) || language.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);

    /// <summary>The JSON the DetectLanguage prompt answers (its config.json schema matches).</summary>
    internal sealed record ModelDetection(
        [property: System.Text.Json.Serialization.JsonRequired] string Language,
        [property: System.Text.Json.Serialization.JsonRequired] double Confidence);
}
