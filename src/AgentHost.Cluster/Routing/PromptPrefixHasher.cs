using AgentHost.Cluster.Grains;

namespace AgentHost.Cluster.Routing;

/// <summary>
/// Hashes of a conversation's prefix blocks: hash i covers everything up to the end of block i, so two prompts share
/// their first k blocks exactly when their first k hashes are equal. Nodes publish the hashes of what they served (the
/// prompts whose KV state their cache holds); a request goes to the node matching the most of its leading blocks.
/// Over the messages' text rather than tokens: routing happens before any node has tokenized the request.
/// The end of each message is a block end too: a conversation's next request holds its earlier messages verbatim,
/// so it meets the hash after the last reply the node served even when that falls inside a block (short chats).
/// </summary>
public static class PromptPrefixHasher
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static long[] Hash(IEnumerable<ConversationMessage> messages, int blockChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockChars, 1);
        var hashes = new List<long>();
        var h = FnvOffset;
        var inBlock = 0;
        foreach (var m in messages)
        {
            // Role and separators are part of the hash: the same text under another role is another prompt.
            foreach (var c in m.Role) Step(c);
            Step('\u0001');
            foreach (var c in m.Content) Step(c);
            Step('\u0002');
            if (inBlock != 0) hashes.Add((long)h);
        }
        return [.. hashes];

        void Step(char c)
        {
            h = (h ^ c) * FnvPrime;
            if (++inBlock == blockChars)
            {
                hashes.Add((long)h);
                inBlock = 0;
            }
        }
    }

    /// <summary>How many leading blocks (and message ends) of <paramref name="prompt"/> are in <paramref name="known"/>.</summary>
    public static int SharedBlocks(long[] prompt, IReadOnlySet<long> known)
    {
        // Each hash covers its whole prefix, so the longest shared prefix is the last block found.
        for (var i = prompt.Length - 1; i >= 0; i--)
            if (known.Contains(prompt[i])) return i + 1;
        return 0;
    }
}
