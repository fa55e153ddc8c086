using System.ComponentModel.DataAnnotations;

namespace TranslationService;

/// <summary>Limits of the HTTP service ("TranslationService" section).</summary>
public sealed class TranslationServiceOptions
{
    public const string SectionName = "TranslationService";

    /// <summary>Longest text per item, in characters.</summary>
    [Range(1, 10_000_000)]
    public int MaxTextCharacters { get; set; } = 20_000;

    /// <summary>Most texts in one batch.</summary>
    [Range(1, 10_000)]
    public int MaxBatchItems { get; set; } = 32;

    /// <summary>Largest request body, in bytes (larger bodies get 413).</summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;
}
