using System.Text;
using System.Text.RegularExpressions;

namespace AgentHost.Plugins.Translation;

/// <summary>What a protected span is.</summary>
public enum SpanKind { Code, Markup, Placeholder, Url, Entity, GlossaryTerm, Reserved }

/// <summary>A part of the text the model must not change, replaced by <see cref="Token"/> while translating.</summary>
public sealed record ProtectedSpan(string Token, SpanKind Kind, string Original, string Restored);

/// <summary>
/// Text with its untranslatable parts (code, markup, placeholders such as {name} and %s, URLs, HTML entities, glossary
/// terms) replaced by numbered tokens ⟦1⟧, ⟦2⟧, …, and the way back. Restoration checks that every token came back
/// exactly once, so a translation either keeps every span byte-for-byte or is rejected.
/// </summary>
public sealed partial class ProtectedText
{
    private readonly Dictionary<string, ProtectedSpan> _byToken;

    private ProtectedText(string original, string masked, IReadOnlyList<ProtectedSpan> spans)
    {
        Original = original;
        Masked = masked;
        Spans = spans;
        _byToken = spans.ToDictionary(s => s.Token, StringComparer.Ordinal);
    }

    public string Original { get; }

    /// <summary>The text with every span replaced by its token.</summary>
    public string Masked { get; }

    public IReadOnlyList<ProtectedSpan> Spans { get; }

    public static ProtectedText Protect(string text, Glossary? glossary = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<(int Start, int Length, SpanKind Kind, string Restored)>();
        var covered = new bool[text.Length];

        // Earlier kinds win where matches overlap: a {placeholder} inside `code` stays part of the code span.
        Claim(FencedCode(), SpanKind.Code);
        Claim(InlineCode(), SpanKind.Code);
        Claim(MarkupComment(), SpanKind.Markup);
        Claim(MarkupTag(), SpanKind.Markup);
        Claim(Url(), SpanKind.Url);
        Claim(Email(), SpanKind.Url);
        Claim(BracePlaceholder(), SpanKind.Placeholder);
        Claim(PrintfPlaceholder(), SpanKind.Placeholder);
        Claim(Entity(), SpanKind.Entity);
        foreach (var (source, target) in (glossary ?? Glossary.Empty).Entries)
            Claim(GlossaryPattern(source), SpanKind.GlossaryTerm, target);
        Claim(ReservedBracket(), SpanKind.Reserved);

        var spans = new List<ProtectedSpan>();
        var masked = new StringBuilder(text.Length);
        var position = 0;
        foreach (var (start, length, kind, restored) in found.OrderBy(f => f.Start))
        {
            var token = $"⟦{spans.Count + 1}⟧";
            var original = text.Substring(start, length);
            spans.Add(new ProtectedSpan(token, kind, original, kind == SpanKind.GlossaryTerm ? restored : original));
            masked.Append(text, position, start - position).Append(token);
            position = start + length;
        }
        masked.Append(text, position, text.Length - position);
        return new ProtectedText(text, masked.ToString(), spans);

        void Claim(Regex regex, SpanKind kind, string? restored = null)
        {
            foreach (Match m in regex.Matches(text))
            {
                var length = m.Length;
                if (kind == SpanKind.Url) length = m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', '\'', '"').Length;
                if (length == 0) continue;
                var free = true;
                for (var i = m.Index; i < m.Index + length && free; i++) free = !covered[i];
                if (!free) continue;
                for (var i = m.Index; i < m.Index + length; i++) covered[i] = true;
                found.Add((m.Index, length, kind, restored ?? ""));
            }
        }
    }

    /// <summary>The tokens found in <paramref name="text"/> (tolerating spaces inside the brackets), in order.</summary>
    public static IReadOnlyList<string> TokensIn(string text) =>
        TokenPattern().Matches(text).Select(m => $"⟦{m.Groups[1].Value}⟧").ToList();

    /// <summary>
    /// Checks that <paramref name="translated"/> holds exactly the tokens <paramref name="expected"/> holds, each once;
    /// on success the problem is null.
    /// </summary>
    public static string? CheckTokens(string expected, string translated)
    {
        var want = TokensIn(expected).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var got = TokensIn(translated).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var problems = new List<string>();
        foreach (var (token, count) in want)
        {
            var n = got.GetValueOrDefault(token);
            if (n == 0) problems.Add($"{token} is missing");
            else if (n != count) problems.Add($"{token} appears {n} times");
        }
        problems.AddRange(got.Keys.Where(t => !want.ContainsKey(t)).Select(t => $"{t} was not in the source"));
        return problems.Count == 0 ? null : string.Join(", ", problems);
    }

    /// <summary>Puts the spans back: each token becomes its original text (a glossary term its target term).</summary>
    public string Restore(string translatedMasked)
    {
        if (CheckTokens(Masked, translatedMasked) is { } problem)
            throw new InvalidOperationException($"The translation does not keep the protected spans: {problem}.");
        return TokenPattern().Replace(translatedMasked, m => _byToken[$"⟦{m.Groups[1].Value}⟧"].Restored);
    }

    /// <summary>The masked text cut into tokens and the text between them (concatenating the parts gives it back).</summary>
    public static IReadOnlyList<(bool IsToken, string Text)> Segments(string masked)
    {
        var parts = new List<(bool, string)>();
        var position = 0;
        foreach (Match m in TokenPattern().Matches(masked))
        {
            if (m.Index > position) parts.Add((false, masked[position..m.Index]));
            parts.Add((true, m.Value));
            position = m.Index + m.Length;
        }
        if (position < masked.Length) parts.Add((false, masked[position..]));
        return parts;
    }

    private static Regex GlossaryPattern(string term)
    {
        var escaped = Regex.Escape(term);
        // Latin terms match whole words only (so "cart" does not match inside "cartridge"); CJK terms match anywhere.
        var pattern = (char.IsLetterOrDigit(term[0]) && term[0] < 0x2E80 ? @"(?<![\p{L}\p{N}])" : "") + escaped
            + (char.IsLetterOrDigit(term[^1]) && term[^1] < 0x2E80 ? @"(?![\p{L}\p{N}])" : "");
        return new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    [GeneratedRegex(@"⟦\s*(\d{1,6})\s*⟧")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"(?:```|~~~)[\s\S]*?(?:```|~~~)")]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]+`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"<!--[\s\S]*?-->")]
    private static partial Regex MarkupComment();

    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9:_\-]*(?:\s+[^<>]*?)?\s*/?>")]
    private static partial Regex MarkupTag();

    [GeneratedRegex(@"\b(?:https?|ftp)://[^\s<>""'`]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+\b")]
    private static partial Regex Email();

    // {{name}}, {{ name }}, ${name}, {name}, {0}, {0:N2}, {count, plural} heads are not matched (they hold text).
    [GeneratedRegex(@"\{\{[^{}\n]{0,80}\}\}|\$\{[^{}\n]{1,80}\}|\{[A-Za-z0-9_.\-]{0,40}(?::[^{}\n]{1,20})?\}")]
    private static partial Regex BracePlaceholder();

    // printf: %s %d %5.2f %-10s %1$s %(name)s %@ %%; no space flag, so "50% off" is left alone.
    [GeneratedRegex(@"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?(?:\d+\$)?[-+0#]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfFgGaAcsp@]|%%")]
    private static partial Regex PrintfPlaceholder();

    [GeneratedRegex(@"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")]
    private static partial Regex Entity();

    [GeneratedRegex(@"[⟦⟧]")]
    private static partial Regex ReservedBracket();
}
