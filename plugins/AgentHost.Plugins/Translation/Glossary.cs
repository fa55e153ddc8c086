using System.Text.Json;

namespace AgentHost.Plugins.Translation;

/// <summary>
/// Fixed translations of terms (product names, legal terms). Every occurrence of a source term is protected like a
/// placeholder and comes back as its target term, whatever the model does with the sentence around it.
/// </summary>
public sealed class Glossary
{
    public const int MaxEntries = 200;
    public const int MaxTermLength = 100;

    private Glossary(IReadOnlyList<KeyValuePair<string, string>> entries) => Entries = entries;

    public static Glossary Empty { get; } = new([]);

    /// <summary>Source term → target term, longest source first (so "gift card balance" wins over "gift card").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries { get; }

    public bool IsEmpty => Entries.Count == 0;

    public static Glossary From(IEnumerable<KeyValuePair<string, string>>? entries, string parameter = "glossary")
    {
        if (entries is null) return Empty;
        var list = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var n = 0;
        foreach (var (rawSource, rawTarget) in entries)
        {
            n++;
            var source = rawSource?.Trim() ?? "";
            var target = rawTarget?.Trim() ?? "";
            if (source.Length == 0) throw new PluginInputException(parameter, $"entry {n} has an empty source term");
            if (target.Length == 0) throw new PluginInputException(parameter, $"entry {n} ('{source}') has an empty target term");
            if (source.Length > MaxTermLength || target.Length > MaxTermLength)
                throw new PluginInputException(parameter, $"entry {n} ('{Clip(source)}') is longer than {MaxTermLength} characters");
            if (source.Contains('⟦') || source.Contains('⟧') || target.Contains('⟦') || target.Contains('⟧'))
                throw new PluginInputException(parameter, $"entry {n} ('{source}') contains ⟦ or ⟧, which are reserved");
            if (!seen.Add(source)) throw new PluginInputException(parameter, $"the term '{source}' appears twice");
            list.Add(new(source, target));
        }
        if (list.Count > MaxEntries) throw new PluginInputException(parameter, $"has {list.Count} entries; the limit is {MaxEntries}");
        return new Glossary(list.OrderByDescending(e => e.Key.Length).ThenBy(e => e.Key, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Parses a glossary given as text: a JSON object {"term": "translation"}, or entries "term=translation"
    /// separated by new lines or semicolons.
    /// </summary>
    public static Glossary Parse(string? text, string parameter = "glossary")
    {
        if (string.IsNullOrWhiteSpace(text)) return Empty;
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            Dictionary<string, string>? map;
            try
            {
                map = JsonSerializer.Deserialize<Dictionary<string, string>>(trimmed);
            }
            catch (JsonException ex)
            {
                throw new PluginInputException(parameter, $"is not a JSON object of strings ({ex.Message.Split(" Path:")[0]})");
            }
            return From(map, parameter);
        }
        var entries = new List<KeyValuePair<string, string>>();
        var n = 0;
        foreach (var raw in trimmed.Split(['\n', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            n++;
            var arrow = raw.IndexOf("=>", StringComparison.Ordinal);
            var (at, width) = arrow >= 0 ? (arrow, 2) : (raw.IndexOf('='), 1);
            if (at < 0) throw new PluginInputException(parameter, $"entry {n} ('{Clip(raw)}') is not of the form term=translation");
            entries.Add(new(raw[..at], raw[(at + width)..]));
        }
        return From(entries, parameter);
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
