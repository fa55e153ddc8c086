using System.Text;

namespace AgentHost.Plugins.Text;

/// <summary>Word counting and cutting that treats each Han, kana or Hangul character as a word (those scripts have no spaces).</summary>
public static class WordLimit
{
    public static int Count(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (TextScripts.IsHan(rune) || TextScripts.IsKana(rune) || TextScripts.IsHangul(rune))
            {
                words++;
                inWord = false;
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                if (!inWord) words++;
                inWord = true;
            }
            else if (Rune.IsWhiteSpace(rune) || Rune.IsPunctuation(rune) && rune.Value != '\'' && rune.Value != '-')
            {
                inWord = false;
            }
        }
        return words;
    }

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="maxWords"/> words: at the last sentence end inside the
    /// limit when that keeps at least half of it, otherwise after the last whole word with "…" appended.
    /// </summary>
    public static (string Text, bool Truncated) Truncate(string text, int maxWords)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWords, 1);
        if (Count(text) <= maxWords) return (text, false);
        var end = 0;            // index just after the last character of word number maxWords
        var lastSentenceEnd = -1;
        var words = 0;
        var inWord = false;
        var i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var next = i + rune.Utf16SequenceLength;
            var cjk = TextScripts.IsHan(rune) || TextScripts.IsKana(rune) || TextScripts.IsHangul(rune);
            if (cjk || Rune.IsLetterOrDigit(rune))
            {
                if (cjk || !inWord)
                {
                    if (words == maxWords) break;
                    words++;
                }
                inWord = !cjk;
                end = next;
            }
            else
            {
                inWord = inWord && !Rune.IsWhiteSpace(rune) && !(Rune.IsPunctuation(rune) && rune.Value != '\'' && rune.Value != '-');
                if (inWord) end = next;
                if (rune.Value is '.' or '!' or '?' or '。' or '！' or '？') lastSentenceEnd = next;
            }
            i = next;
        }
        if (lastSentenceEnd > 0 && Count(text[..lastSentenceEnd]) >= maxWords / 2) return (text[..lastSentenceEnd].TrimEnd(), true);
        return (text[..end].TrimEnd() + "…", true);
    }
}
