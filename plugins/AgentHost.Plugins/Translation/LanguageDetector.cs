using System.Text;
using AgentHost.Plugins.Text;

namespace AgentHost.Plugins.Translation;

/// <summary>A detected language: its code (null when undecided), how sure, and how it was decided.</summary>
public sealed record LanguageDetection(string? Language, string? Name, double Confidence, string Method);

/// <summary>
/// Fast, model-free language identification: the writing system decides for Chinese, Japanese, Korean, Russian or
/// Ukrainian, Arabic, Hindi and Thai; Latin-script text is scored against each language's function words and
/// distinctive letters. Short or mixed text gets a low confidence, which makes the translator ask the model instead.
/// </summary>
public static class LanguageDetector
{
    private static readonly Dictionary<string, HashSet<string>> FunctionWords = new()
    {
        ["en"] = Set("the and of to is in that it you for with are this was on be have not what how your we can will please hello thanks thank my our has from an does did were there about would could should just"),
        ["fr"] = Set("le la les des et est un une du que pour dans pas vous je il sur avec ce qui au aux nous mais très"),
        ["de"] = Set("der die das und ist nicht ein eine zu ich sie mit den auf für es sich dem auch wir bitte haben sind"),
        ["es"] = Set("el la los las de que y en un una es por con para no se del lo su como al muy pero está"),
        ["it"] = Set("il di che è e la per un una non sono con del della mi ti ho questo gli le al molto anche"),
        ["pt"] = Set("o a os as de que e do da em um uma para não com é você por se na no mais muito"),
        ["nl"] = Set("de het een en van is dat niet ik je op te zijn met voor er maar hij ook wat"),
        ["sv"] = Set("och att det som en är på för med har inte jag till av den om var ett du vi"),
        ["pl"] = Set("i w nie się na to jest że z do jak co ale tak jestem mnie po czy ja od"),
        ["tr"] = Set("bir ve bu da de için ne çok ben ile mi değil var gibi daha o sen ama olarak her"),
        ["id"] = Set("dan yang di ini itu dengan untuk tidak dari ada saya akan ke anda bisa juga atau kami pada sudah"),
        ["vi"] = Set("của và là có không được những một các cho trong với người này đã tôi bạn để khi thì"),
    };

    private static readonly Dictionary<string, string> DistinctiveLetters = new()
    {
        ["vi"] = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
        ["de"] = "ßäöü",
        ["pl"] = "łąęśźżćń",
        ["tr"] = "ğşı",
        ["fr"] = "éèêëàçœîïûù",
        ["es"] = "ñ¿¡á",
        ["pt"] = "ãõç",
        ["sv"] = "åäö",
    };

    public static LanguageDetection Detect(string text)
    {
        double han = 0, kana = 0, hangul = 0, cyrillic = 0, ukrainian = 0, arabic = 0, devanagari = 0, thai = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            if (TextScripts.IsHan(rune)) han++;
            else if (TextScripts.IsKana(rune)) kana++;
            else if (TextScripts.IsHangul(rune)) hangul++;
            else if (v is >= 0x0400 and <= 0x04FF)
            {
                cyrillic++;
                if (v is 0x0456 or 0x0457 or 0x0454 or 0x0491 or 0x0406 or 0x0407 or 0x0404 or 0x0490) ukrainian++;
            }
            else if (v is >= 0x0600 and <= 0x06FF) arabic++;
            else if (v is >= 0x0900 and <= 0x097F) devanagari++;
            else if (v is >= 0x0E00 and <= 0x0E7F) thai++;
        }
        var latinWords = Words(text).Where(w => w.EnumerateRunes().Any(r => r.Value < 0x0250 && Rune.IsLetter(r))).ToList();

        // Comparable units: a Latin word, about 1.5 Han characters, one kana or Hangul syllable per 2, a word of other scripts per ~5 letters.
        var units = new Dictionary<string, double>
        {
            ["cjk"] = han / 1.5 + kana / 2 + hangul / 2,
            ["cyrillic"] = cyrillic / 5,
            ["ar"] = arabic / 5,
            ["hi"] = devanagari / 5,
            ["th"] = thai / 4,
            ["latin"] = latinWords.Count,
        };
        var total = units.Values.Sum();
        if (total < 0.5) return new LanguageDetection(null, null, 0, "heuristic");
        var (script, amount) = units.MaxBy(kv => kv.Value);
        var share = amount / total;

        string? code;
        double confidence;
        switch (script)
        {
            case "cjk":
                code = hangul > kana + han / 4 ? "ko" : kana > 0 && kana >= han / 10 ? "ja" : "zh";
                confidence = share;
                break;
            case "cyrillic":
                code = ukrainian > 0 ? "uk" : "ru";
                confidence = share * (cyrillic >= 20 ? 1 : 0.85);
                break;
            case "latin":
                (code, confidence) = ScoreLatin(latinWords);
                confidence *= share;
                break;
            default:
                code = script;
                confidence = share;
                break;
        }
        if (code is null) return new LanguageDetection(null, null, 0, "heuristic");
        var language = Languages.Get(code);
        return new LanguageDetection(language.Code, language.Name, Math.Round(Math.Clamp(confidence, 0, 0.99), 2), "heuristic");
    }

    private static (string? Code, double Confidence) ScoreLatin(IReadOnlyList<string> words)
    {
        var scores = FunctionWords.Keys.ToDictionary(k => k, _ => 0.0);
        foreach (var word in words)
        {
            var w = word.ToLowerInvariant();
            foreach (var (code, set) in FunctionWords)
                if (set.Contains(w)) scores[code] += 1;
            foreach (var (code, letters) in DistinctiveLetters)
                if (w.Any(c => letters.Contains(c))) scores[code] += 1.5;
        }
        var ranked = scores.OrderByDescending(kv => kv.Value).ToList();
        var best = ranked[0];
        if (best.Value <= 0) return (null, 0);
        var second = ranked[1].Value;
        // Sure when the best language clearly leads and has seen enough evidence.
        var lead = best.Value / (best.Value + second / 2 + 0.25);
        var evidence = Math.Min(1, best.Value / 3);
        return (best.Key, lead * evidence);
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune) && !TextScripts.IsCjk(rune)) word.Append(rune.ToString());
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
        if (word.Length > 0) yield return word.ToString();
    }

    private static HashSet<string> Set(string words) => new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
