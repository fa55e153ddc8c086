namespace AgentHost.Plugins.Translation;

public enum Formality { Default, Formal, Informal }

/// <summary>What to translate and how. <see cref="SourceLanguage"/> null or "auto" detects it.</summary>
public sealed record TranslationRequest
{
    public required string Text { get; init; }
    public required string TargetLanguage { get; init; }
    public string? SourceLanguage { get; init; }
    public Formality Formality { get; init; } = Formality.Default;
    public Glossary Glossary { get; init; } = Glossary.Empty;
}

/// <summary>
/// A translation and how it was made: the source language (and whether it was detected), how many chunks the text
/// was split into to fit the context window, how many spans were protected, and in how many chunks the model lost a
/// token so the text between the spans was translated piece by piece instead.
/// </summary>
public sealed record TranslationResult(
    string Text,
    string SourceLanguage,
    bool SourceDetected,
    string TargetLanguage,
    int Chunks,
    int ProtectedSpans,
    int SegmentFallbackChunks);

/// <summary>One item of a batch: its translation, or why it failed (other items are unaffected).</summary>
public sealed record BatchItemResult(int Index, TranslationResult? Result, string? Error);
