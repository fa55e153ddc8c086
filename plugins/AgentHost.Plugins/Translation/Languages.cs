namespace AgentHost.Plugins.Translation;

/// <summary>A language the translation functions accept.</summary>
public sealed record Language(string Code, string Name, string NativeName)
{
    /// <summary>How the language is named in prompts: "Chinese (Simplified) (zh)".</summary>
    public string Display => $"{Name} ({Code})";
}

/// <summary>
/// The supported languages and the spellings accepted for each: ISO 639-1 codes, BCP 47 tags with a region or
/// script (zh-CN, zh-Hant, pt-BR), and English or native names (Chinese, 中文, Deutsch).
/// </summary>
public static class Languages
{
    private static readonly (Language Language, string[] Aliases)[] Table =
    [
        (new("en", "English", "English"), ["english", "英语", "英文", "en-us", "en-gb", "en-au", "en-ca"]),
        (new("zh", "Chinese (Simplified)", "简体中文"), ["chinese", "simplified chinese", "mandarin", "中文", "汉语", "中文(简体)", "简体", "zh-cn", "zh-hans", "zh-sg", "zh-hans-cn", "cmn"]),
        (new("zh-Hant", "Chinese (Traditional)", "繁體中文"), ["traditional chinese", "繁體", "繁体中文", "zh-tw", "zh-hk", "zh-mo", "zh-hant-tw", "zh-hant-hk"]),
        (new("ja", "Japanese", "日本語"), ["japanese", "日语", "ja-jp"]),
        (new("ko", "Korean", "한국어"), ["korean", "韩语", "ko-kr"]),
        (new("fr", "French", "Français"), ["french", "francais", "法语", "fr-fr", "fr-ca"]),
        (new("de", "German", "Deutsch"), ["german", "德语", "de-de", "de-at", "de-ch"]),
        (new("es", "Spanish", "Español"), ["spanish", "espanol", "西班牙语", "es-es", "es-mx"]),
        (new("it", "Italian", "Italiano"), ["italian", "意大利语", "it-it"]),
        (new("pt", "Portuguese", "Português"), ["portuguese", "portugues", "葡萄牙语", "pt-pt", "pt-br"]),
        (new("ru", "Russian", "Русский"), ["russian", "俄语", "ru-ru"]),
        (new("ar", "Arabic", "العربية"), ["arabic", "阿拉伯语"]),
        (new("hi", "Hindi", "हिन्दी"), ["hindi", "印地语", "hi-in"]),
        (new("vi", "Vietnamese", "Tiếng Việt"), ["vietnamese", "越南语", "vi-vn"]),
        (new("th", "Thai", "ไทย"), ["thai", "泰语", "th-th"]),
        (new("nl", "Dutch", "Nederlands"), ["dutch", "荷兰语", "nl-nl", "nl-be"]),
        (new("pl", "Polish", "Polski"), ["polish", "波兰语", "pl-pl"]),
        (new("tr", "Turkish", "Türkçe"), ["turkish", "土耳其语", "tr-tr"]),
        (new("uk", "Ukrainian", "Українська"), ["ukrainian", "乌克兰语", "uk-ua"]),
        (new("id", "Indonesian", "Bahasa Indonesia"), ["indonesian", "印尼语", "id-id"]),
        (new("sv", "Swedish", "Svenska"), ["swedish", "瑞典语", "sv-se"]),
    ];

    private static readonly Dictionary<string, Language> ByName = BuildIndex();

    public static IReadOnlyList<Language> All { get; } = Table.Select(t => t.Language).ToList();

    /// <summary>The codes of <see cref="All"/>, for messages: "en, zh, zh-Hant, ja, …".</summary>
    public static string SupportedList => string.Join(", ", All.Select(l => l.Code));

    public static bool TryResolve(string? value, out Language language)
    {
        language = null!;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var key = value.Trim().Replace('_', '-').ToLowerInvariant();
        return ByName.TryGetValue(key, out language!);
    }

    /// <summary>The language <paramref name="value"/> names, or a <see cref="PluginInputException"/> listing the supported codes.</summary>
    public static Language Resolve(string? value, string parameter)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new PluginInputException(parameter, $"must name a language (one of {SupportedList})");
        return TryResolve(value, out var language) ? language
            : throw new PluginInputException(parameter, $"unknown language '{value.Trim()}'; supported: {SupportedList}");
    }

    public static Language Get(string code) => All.First(l => l.Code == code);

    private static Dictionary<string, Language> BuildIndex()
    {
        var index = new Dictionary<string, Language>(StringComparer.Ordinal);
        foreach (var (language, aliases) in Table)
        {
            foreach (var name in aliases.Append(language.Code).Append(language.Name).Append(language.NativeName))
                index.TryAdd(name.ToLowerInvariant(), language);
        }
        return index;
    }
}
