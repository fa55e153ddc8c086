namespace AgentHost.Native;

/// <summary>How the next token is chosen. Temperature 0 (or less) means greedy.</summary>
public sealed record SamplerSettings
{
    public float Temperature { get; init; } = 0.8f;
    public int TopK { get; init; } = 40;
    public float TopP { get; init; } = 0.95f;
    public float MinP { get; init; } = 0.05f;
    public uint Seed { get; init; } = 0xFFFFFFFF;
    public float RepeatPenalty { get; init; } = 1.0f;
    public float FrequencyPenalty { get; init; }
    public float PresencePenalty { get; init; }
    public int PenaltyLastN { get; init; } = 64;
    public IReadOnlyDictionary<int, float>? LogitBias { get; init; }
    /// <summary>A GBNF grammar the output must follow (root rule <see cref="GrammarRoot"/>).</summary>
    public string? Grammar { get; init; }
    public string GrammarRoot { get; init; } = "root";
    /// <summary>With <see cref="Grammar"/>: the grammar applies only once the output matches one of these patterns (lazy grammar).</summary>
    public IReadOnlyList<string>? GrammarTriggerPatterns { get; init; }
    public IReadOnlyList<int>? GrammarTriggerTokens { get; init; }
    /// <summary>
    /// Text the chat template already wrote at the start of the reply (the generation prompt, e.g. an opened
    /// <c>&lt;think&gt;</c>). A non-lazy grammar that describes the whole reply is advanced past it before sampling.
    /// </summary>
    public string? GrammarPrefill { get; init; }

    public bool IsGreedy => Temperature <= 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"Invalid sampling setting {name}={value}: {rule}.", name);
        }
        Check(float.IsFinite(Temperature), nameof(Temperature), Temperature, "must be a finite number");
        Check(TopK >= 0, nameof(TopK), TopK, "must be 0 (off) or positive");
        Check(TopP is > 0 and <= 1, nameof(TopP), TopP, "must be in (0, 1]");
        Check(MinP is >= 0 and <= 1, nameof(MinP), MinP, "must be in [0, 1]");
        Check(float.IsFinite(RepeatPenalty) && RepeatPenalty > 0, nameof(RepeatPenalty), RepeatPenalty, "must be > 0 (1 = off)");
        Check(float.IsFinite(FrequencyPenalty) && FrequencyPenalty is >= -2 and <= 2, nameof(FrequencyPenalty), FrequencyPenalty, "must be in [-2, 2]");
        Check(float.IsFinite(PresencePenalty) && PresencePenalty is >= -2 and <= 2, nameof(PresencePenalty), PresencePenalty, "must be in [-2, 2]");
        Check(PenaltyLastN >= -1, nameof(PenaltyLastN), PenaltyLastN, "must be -1 (whole context), 0 (off) or positive");
        if (LogitBias is not null)
            foreach (var (token, bias) in LogitBias)
                Check(float.IsFinite(bias) || float.IsNegativeInfinity(bias), nameof(LogitBias), $"{token}:{bias}", "biases must be finite or -infinity");
    }
}
