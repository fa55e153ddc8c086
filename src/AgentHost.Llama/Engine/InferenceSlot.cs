namespace AgentHost.Llama.Engine;

/// <summary>
/// One sequence of the shared context. It remembers which tokens its KV cache holds, so the next request with the
/// same prefix (the next turn of a chat, a shared system prompt) only evaluates what is new.
/// </summary>
internal sealed class InferenceSlot(int sequence)
{
    public int Sequence { get; } = sequence;

    /// <summary>Tokens whose keys/values are in this sequence's cache, position = index.</summary>
    public List<int> CachedTokens { get; } = [];

    public ActiveRequest? Request { get; set; }

    /// <summary>Next prompt index to evaluate.</summary>
    public int PromptCursor { get; set; }

    /// <summary>Token sampled but not yet decoded.</summary>
    public int? PendingToken { get; set; }

    /// <summary>Index in the current batch whose logits belong to this slot, or -1.</summary>
    public int LogitsIndex { get; set; } = -1;

    /// <summary>Tokens this slot put into the current batch (to commit after a successful decode).</summary>
    public List<int> InFlight { get; } = [];

    public long LastUsed { get; set; }

    public bool IsFree => Request is null;
    public bool IsPrompting => Request is not null && PromptCursor < Request.Prompt.Length;

    public static int CommonPrefix(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var n = Math.Min(a.Count, b.Count);
        var i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }
}
