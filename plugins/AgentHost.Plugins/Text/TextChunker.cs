using System.Text;
using System.Text.RegularExpressions;

namespace AgentHost.Plugins.Text;

/// <summary>One piece of a split text. Concatenating every chunk's <see cref="Text"/> in index order gives back the input exactly.</summary>
public sealed record TextChunk(int Index, string Text, int Tokens);

/// <summary>
/// Splits text that is too long for one request into chunks of at most a token budget, cutting at the coarsest
/// boundary that works: paragraphs, then lines, sentences (Latin and CJK punctuation), clauses, words, and only as a
/// last resort characters (never inside a surrogate pair or a ⟦n⟧ placeholder token). Nothing is dropped or
/// reordered: separators stay attached to the chunk they follow.
/// </summary>
public static partial class TextChunker
{
    private const int Levels = 6; // paragraphs, lines, sentences, clauses, words, characters

    public static IReadOnlyList<TextChunk> Split(string text, int maxTokens, ITokenCounter counter)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(counter);
        if (maxTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "the token budget must be at least 1");
        var pieces = new List<string>();
        if (text.Length > 0) SplitInto(text, 0, maxTokens, counter, pieces);
        var chunks = new List<TextChunk>(pieces.Count);
        foreach (var piece in pieces) chunks.Add(new TextChunk(chunks.Count, piece, counter.CountTokens(piece)));
        return chunks;
    }

    /// <summary>Appends chunks of <paramref name="text"/> that each fit <paramref name="budget"/>, cutting at <paramref name="level"/> or finer.</summary>
    private static void SplitInto(string text, int level, int budget, ITokenCounter counter, List<string> output)
    {
        if (counter.CountTokens(text) <= budget)
        {
            output.Add(text);
            return;
        }
        var units = level < Levels - 1 ? Units(text, level) : Characters(text);
        if (units.Count <= 1)
        {
            // No boundary of this kind inside: try a finer one (characters always cut, so this ends).
            if (level < Levels - 1) SplitInto(text, level + 1, budget, counter, output);
            else output.Add(text); // a single atomic token longer than the budget: it cannot be cut
            return;
        }

        // Greedy packing: units are added while the sum of their counts fits (the sum is an upper bound of the
        // joint count in practice, since cuts are at whitespace or punctuation).
        var current = new StringBuilder();
        var currentTokens = 0;
        foreach (var unit in units)
        {
            var tokens = counter.CountTokens(unit);
            if (tokens > budget)
            {
                Flush();
                SplitInto(unit, level + 1, budget, counter, output);
                continue;
            }
            if (currentTokens + tokens > budget) Flush();
            current.Append(unit);
            currentTokens += tokens;
        }
        Flush();

        void Flush()
        {
            if (current.Length == 0) return;
            var chunk = current.ToString();
            current.Clear();
            currentTokens = 0;
            // Verified with a real count; the rare chunk whose joint count exceeds the sum is cut finer.
            if (counter.CountTokens(chunk) <= budget || level >= Levels - 1) output.Add(chunk);
            else SplitInto(chunk, level + 1, budget, counter, output);
        }
    }

    /// <summary>The text cut after each boundary of the given level; the pieces concatenate to the input.</summary>
    internal static List<string> Units(string text, int level)
    {
        var regex = level switch
        {
            0 => ParagraphBreak(),
            1 => LineBreak(),
            2 => SentenceEnd(),
            3 => ClauseEnd(),
            4 => WordEnd(),
            _ => throw new ArgumentOutOfRangeException(nameof(level)),
        };
        var units = new List<string>();
        var start = 0;
        foreach (Match m in regex.Matches(text))
        {
            var end = m.Index + m.Length;
            if (end <= start || end >= text.Length) continue;
            units.Add(text[start..end]);
            start = end;
        }
        if (start < text.Length) units.Add(text[start..]);
        return units;
    }

    /// <summary>Single characters (runes), keeping ⟦n⟧ placeholder tokens whole.</summary>
    private static List<string> Characters(string text)
    {
        var units = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '⟦')
            {
                var close = text.IndexOf('⟧', i);
                if (close > i && close - i <= 12)
                {
                    units.Add(text[i..(close + 1)]);
                    i = close + 1;
                    continue;
                }
            }
            var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            units.Add(text.Substring(i, length));
            i += length;
        }
        return units;
    }

    // A blank line (possibly with spaces) and the whitespace after it.
    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"\n\s*")]
    private static partial Regex LineBreak();

    // Latin sentence ends need whitespace after them and a capital, digit or non-letter next (so "e.g. this" stays
    // whole); CJK full stops end a sentence by themselves. Closing quotes and brackets stay with the sentence.
    [GeneratedRegex(@"(?:[.!?…]+[""'”’»)\]]*\s+(?=[^\p{Ll}])|[。！？；]+[”’」』）]*\s*)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"(?:[,;:]\s+|[，、；：]\s*)")]
    private static partial Regex ClauseEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WordEnd();
}
