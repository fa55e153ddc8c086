namespace TranslationService;

/// <summary>POST /translate: translate one text.</summary>
/// <param name="Text">The text; placeholders ({name}, %s), markup and code spans are kept exactly.</param>
/// <param name="TargetLanguage">A code or name: zh, en, zh-Hant, Chinese, English, …</param>
/// <param name="SourceLanguage">The text's language, or omit/"auto" to detect it.</param>
/// <param name="Formality">default, formal or informal.</param>
/// <param name="Glossary">Fixed term translations: {"term": "translation"}.</param>
public sealed record TranslateRequest(string? Text, string? TargetLanguage, string? SourceLanguage = null, string? Formality = null, Dictionary<string, string>? Glossary = null);

public sealed record TranslateResponse(string Translation, string SourceLanguage, bool SourceDetected, string TargetLanguage, int Chunks, int ProtectedSpans);

/// <summary>POST /translate/batch: translate several texts with the same settings.</summary>
public sealed record BatchTranslateRequest(List<string?>? Texts, string? TargetLanguage, string? SourceLanguage = null, string? Formality = null, Dictionary<string, string>? Glossary = null);

/// <summary>One batch item: its translation, or the error that item alone hit.</summary>
public sealed record BatchItem(int Index, string? Translation, string? SourceLanguage, string? Error);

public sealed record BatchTranslateResponse(IReadOnlyList<BatchItem> Items);

/// <summary>POST /detect: identify the language of a text.</summary>
public sealed record DetectRequest(string? Text);

public sealed record DetectResponse(string Language, string Name, double Confidence, string Method);
