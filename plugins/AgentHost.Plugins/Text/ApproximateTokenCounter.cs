using System.Text;

namespace AgentHost.Plugins.Text;

/// <summary>
/// An estimate for hosts without a local tokenizer: one token per CJK character, one per 4 characters of other
/// letters and digits (rounded up per word), one per other symbol. Errs on the high side so chunks still fit.
/// </summary>
public sealed class ApproximateTokenCounter(int contextSize) : ITokenCounter
{
    public int ContextSize { get; } = contextSize > 0 ? contextSize : throw new ArgumentOutOfRangeException(nameof(contextSize), "must be positive");

    public int CountTokens(string text)
    {
        var tokens = 0;
        var word = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (TextScripts.IsCjk(rune))
            {
                tokens += Flush(ref word) + 1;
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                word++;
            }
            else
            {
                tokens += Flush(ref word);
                if (!Rune.IsWhiteSpace(rune)) tokens++;
            }
        }
        return tokens + Flush(ref word);

        static int Flush(ref int letters)
        {
            var t = (letters + 3) / 4;
            letters = 0;
            return t;
        }
    }
}
