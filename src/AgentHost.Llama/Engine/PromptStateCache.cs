namespace AgentHost.Llama.Engine;

/// <summary>
/// KV states of conversations that lost their slot to another request, kept in memory (llama_state_seq_*) so a
/// returning conversation restores its history instead of evaluating it again. Bounded in bytes; the least recently
/// used state goes first. Used by the decode-loop thread only.
/// </summary>
internal sealed class PromptStateCache(long capacityBytes)
{
    private readonly LinkedList<Entry> _entries = new(); // most recently used first

    public sealed record Entry(int[] Tokens, byte[] State);

    public long CapacityBytes { get; } = capacityBytes;
    public long SizeBytes { get; private set; }
    public int Count => _entries.Count;

    /// <summary>Keeps <paramref name="state"/> of <paramref name="tokens"/>, evicting the least recently used states to fit; false if it alone is too big.</summary>
    public bool Add(int[] tokens, byte[] state)
    {
        if (state.Length == 0 || state.Length > CapacityBytes) return false;
        // A stored prefix of these tokens is now redundant (this state holds everything it does).
        for (var node = _entries.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Tokens.Length <= tokens.Length && InferenceSlot.CommonPrefix(node.Value.Tokens, tokens) == node.Value.Tokens.Length) Remove(node);
            node = next;
        }
        while (SizeBytes + state.Length > CapacityBytes && _entries.Last is { } oldest) Remove(oldest);
        _entries.AddFirst(new Entry(tokens, state));
        SizeBytes += state.Length;
        return true;
    }

    /// <summary>The state sharing the longest prefix with <paramref name="prompt"/>, and how many tokens it shares.</summary>
    public (Entry? Entry, int Shared) FindLongestPrefix(IReadOnlyList<int> prompt)
    {
        Entry? best = null;
        var shared = 0;
        foreach (var entry in _entries)
        {
            var n = InferenceSlot.CommonPrefix(entry.Tokens, prompt);
            if (n > shared) (best, shared) = (entry, n);
        }
        return (best, shared);
    }

    /// <summary>Takes <paramref name="entry"/> out (it is going back into a slot).</summary>
    public void Take(Entry entry)
    {
        for (var node = _entries.First; node is not null; node = node.Next)
            if (ReferenceEquals(node.Value, entry)) { Remove(node); return; }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        SizeBytes -= node.Value.State.Length;
        _entries.Remove(node);
    }
}
