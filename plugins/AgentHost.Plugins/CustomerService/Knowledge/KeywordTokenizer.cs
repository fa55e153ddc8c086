using System.Text;
using AgentHost.Plugins.Text;

namespace AgentHost.Plugins.CustomerService.Knowledge;

/// <summary>
/// Terms for the keyword index: Unicode-normalised, lower-cased words with English stop words removed and a light
/// suffix stemmer (returns → return, shipped → ship); Han, kana and Hangul runs become character unigrams and bigrams,
/// the usual way to index text written without spaces.
/// </summary>
public static class KeywordTokenizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in",
        "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "their", "them", "then", "there",
        "these", "they", "this", "to", "was", "we", "what", "when", "where", "which", "who", "will", "with", "you", "your",
        "would", "could", "should", "have", "has", "had", "am", "been", "about", "get", "got", "please", "hi", "hello",
    };

    public static List<string> Tokenize(string text)
    {
        var terms = new List<string>();
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var word = new StringBuilder();
        var cjk = new List<string>();
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (TextScripts.IsHan(rune) || TextScripts.IsKana(rune) || TextScripts.IsHangul(rune))
            {
                FlushWord();
                cjk.Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                FlushCjk();
                word.Append(rune.ToString());
            }
            else
            {
                FlushWord();
                FlushCjk();
            }
        }
        FlushWord();
        FlushCjk();
        return terms;

        void FlushWord()
        {
            if (word.Length == 0) return;
            var w = word.ToString();
            word.Clear();
            if (!StopWords.Contains(w)) terms.Add(Stem(w));
        }

        void FlushCjk()
        {
            if (cjk.Count == 0) return;
            for (var i = 0; i < cjk.Count; i++)
            {
                terms.Add(cjk[i]);
                if (i + 1 < cjk.Count) terms.Add(cjk[i] + cjk[i + 1]);
            }
            cjk.Clear();
        }
    }

    /// <summary>Strips common English inflections; words of four letters or fewer are kept as they are.</summary>
    internal static string Stem(string word)
    {
        if (word.Length <= 4 || !word.All(c => c is >= 'a' and <= 'z')) return word;
        if (word.EndsWith("ies", StringComparison.Ordinal)) return word[..^3] + "y";
        if (word.EndsWith("sses", StringComparison.Ordinal)) return word[..^2];
        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5) return Undouble(word[..^3]);
        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4) return Undouble(word[..^2]);
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
            return word[..^1];
        return word;

        static string Undouble(string stem) =>
            stem.Length >= 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') ? stem[..^1] : stem;
    }
}
