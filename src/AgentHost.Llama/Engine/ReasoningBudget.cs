namespace AgentHost.Llama.Engine;

/// <summary>
/// A limit on thinking (llama-server's <c>reasoning_budget_tokens</c>): once a thinking block, opened by
/// <see cref="StartTag"/>, has run <see cref="Tokens"/> tokens without closing, the engine writes the first of
/// <see cref="EndTags"/> itself, token by token, and the model goes on to its answer or call. 0 closes thinking at once.
/// </summary>
public sealed record ReasoningBudget
{
    public required int Tokens { get; init; }
    public required string StartTag { get; init; }
    public required IReadOnlyList<string> EndTags { get; init; }
    /// <summary>The prompt already opened the thinking block (templates that write the start tag into the generation prompt).</summary>
    public bool StartsInside { get; init; }

    /// <summary>The most a request may ask for (above it, the context ends first anyway).</summary>
    public const int MaxTokens = 1 << 20;

    internal void Validate()
    {
        if (Tokens is < 0 or > MaxTokens)
            throw new InvalidGenerationRequestException("reasoning_budget_tokens", $"must be between 0 and {MaxTokens}, was {Tokens}");
        if (string.IsNullOrEmpty(StartTag)) throw new InvalidGenerationRequestException("ReasoningBudget.StartTag", "the thinking start tag is empty");
        if (EndTags.Count == 0 || EndTags.Any(string.IsNullOrEmpty))
            throw new InvalidGenerationRequestException("ReasoningBudget.EndTags", "at least one non-empty thinking end tag is required");
    }
}

/// <summary>
/// Follows one request's thinking on its decoded text, as llama.cpp's reasoning-budget sampler follows tokens
/// (text, because a tag is one special token in one vocabulary and several pieces in another): idle until the start
/// tag, then counting tokens until an end tag, forcing the end tag when the budget runs out, and re-armed by a new
/// start tag (some models think more than once per reply).
/// </summary>
internal sealed class ReasoningBudgetTracker
{
    private enum State { Idle, Counting, Forcing, Done }

    private readonly ReasoningBudget _budget;
    private readonly int[] _forced;
    private readonly int _window;
    private string _tail = "";
    private State _state;
    private int _remaining;
    private int _forcedAt;

    public ReasoningBudgetTracker(ReasoningBudget budget, int[] forcedTokens)
    {
        _budget = budget;
        _forced = forcedTokens;
        _window = Math.Max(budget.StartTag.Length, budget.EndTags.Max(t => t.Length));
        if (budget.StartsInside) Open();
    }

    /// <summary>Tokens the engine wrote for this request instead of sampling them.</summary>
    public int ForcedCount { get; private set; }

    /// <summary>The next token to write instead of sampling, while an end tag is being forced.</summary>
    public bool TryPeekForced(out int token)
    {
        token = _state == State.Forcing && _forcedAt < _forced.Length ? _forced[_forcedAt] : -1;
        return token >= 0;
    }

    /// <summary>The sampler's grammar refused the end tag: stop forcing, let the model (and its grammar) go on.</summary>
    public void GiveUpForcing() => _state = State.Done;

    /// <summary>One generated (or forced) token and the text it decoded to; <paramref name="charComplete"/>: no partial UTF-8 character pending.</summary>
    public void Observe(string text, bool forced, bool charComplete)
    {
        // Only the last few characters before this token matter: a tag may straddle tokens, or share one with text
        // (">Hello" closing "<think>").
        _tail = (_tail.Length < _window ? _tail : _tail[^(_window - 1)..]) + text;
        switch (_state)
        {
            case State.Idle or State.Done:
                if (Take(_budget.StartTag)) Open();
                break;
            case State.Counting:
                if (_budget.EndTags.Any(Take)) { _state = State.Done; break; }
                if (--_remaining <= 0 && charComplete) Force();
                break;
            case State.Forcing:
                if (forced)
                {
                    ForcedCount++;
                    if (++_forcedAt >= _forced.Length) { _state = State.Done; _tail = ""; }
                }
                break;
        }
    }

    /// <summary>Finds <paramref name="tag"/> in the recent text and drops the text up to its end.</summary>
    private bool Take(string tag)
    {
        var at = _tail.IndexOf(tag, StringComparison.Ordinal);
        if (at < 0) return false;
        _tail = _tail[(at + tag.Length)..];
        return true;
    }

    private void Open()
    {
        _state = State.Counting;
        _remaining = _budget.Tokens;
        if (_remaining <= 0) Force();
    }

    private void Force()
    {
        _state = _forced.Length > 0 ? State.Forcing : State.Done;
        _forcedAt = 0;
    }
}
