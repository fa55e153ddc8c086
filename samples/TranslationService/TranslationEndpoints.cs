using AgentHost.Plugins;
using AgentHost.Plugins.Translation;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace TranslationService;

/// <summary>The service's three endpoints. Validation failures are PluginInputExceptions, answered as 400 by <see cref="ErrorHandler"/>.</summary>
public static class TranslationEndpoints
{
    public static IEndpointRouteBuilder MapTranslationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/translate", TranslateAsync)
            .WithName("Translate")
            .WithSummary("Translate a text (source language detected when omitted).")
            .Produces<TranslateResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapPost("/translate/batch", TranslateBatchAsync)
            .WithName("TranslateBatch")
            .WithSummary("Translate several texts with the same settings; each item reports its own error.")
            .Produces<BatchTranslateResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapPost("/detect", DetectAsync)
            .WithName("DetectLanguage")
            .WithSummary("Detect the language of a text.")
            .Produces<DetectResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<TranslateResponse> TranslateAsync(TranslateRequest request, Translator translator, Kernel kernel, IOptions<TranslationServiceOptions> options, CancellationToken cancellationToken)
    {
        CheckText(request.Text, "text", options.Value);
        var result = await translator.TranslateAsync(kernel, new TranslationRequest
        {
            Text = request.Text!,
            TargetLanguage = request.TargetLanguage ?? "",
            SourceLanguage = request.SourceLanguage,
            Formality = string.IsNullOrWhiteSpace(request.Formality) ? Formality.Default : Require.Enum<Formality>(request.Formality, "formality"),
            Glossary = Glossary.From(request.Glossary),
        }, cancellationToken);
        return new TranslateResponse(result.Text, result.SourceLanguage, result.SourceDetected, result.TargetLanguage, result.Chunks, result.ProtectedSpans);
    }

    private static async Task<BatchTranslateResponse> TranslateBatchAsync(BatchTranslateRequest request, Translator translator, Kernel kernel, IOptions<TranslationServiceOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (request.Texts is null || request.Texts.Count == 0) throw new PluginInputException("texts", "must hold at least one text");
        if (request.Texts.Count > limits.MaxBatchItems) throw new PluginInputException("texts", $"holds {request.Texts.Count} texts; the limit is {limits.MaxBatchItems}");
        for (var i = 0; i < request.Texts.Count; i++) CheckText(request.Texts[i], $"texts[{i}]", limits);
        var results = await translator.TranslateBatchAsync(kernel, request.Texts!, request.TargetLanguage ?? "", request.SourceLanguage,
            string.IsNullOrWhiteSpace(request.Formality) ? Formality.Default : Require.Enum<Formality>(request.Formality, "formality"),
            Glossary.From(request.Glossary), cancellationToken);
        return new BatchTranslateResponse(results.Select(r => new BatchItem(r.Index, r.Result?.Text, r.Result?.SourceLanguage, r.Error)).ToList());
    }

    private static async Task<DetectResponse> DetectAsync(DetectRequest request, Translator translator, Kernel kernel, IOptions<TranslationServiceOptions> options, CancellationToken cancellationToken)
    {
        CheckText(request.Text, "text", options.Value);
        var detection = await translator.DetectAsync(kernel, request.Text!, cancellationToken);
        if (!detection.Ok || detection.Value!.Language is null)
            throw new PluginInputException("text", $"the language could not be detected ({detection.Error ?? "no language recognised"})");
        var d = detection.Value;
        return new DetectResponse(d.Language!, d.Name!, d.Confidence, d.Method);
    }

    /// <summary>The service's own limit, checked before the shared plugin limits so the message names it.</summary>
    private static void CheckText(string? text, string name, TranslationServiceOptions limits) => Require.Text(text, name, limits.MaxTextCharacters);
}
