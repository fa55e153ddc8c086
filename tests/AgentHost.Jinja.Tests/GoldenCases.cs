using AgentHost.Tests;

namespace AgentHost.Jinja.Tests;

/// <summary>
/// The golden corpus: every llama.cpp template × every conversation, with the prompt (or error)
/// llama.cpp itself produced (scripts/template-goldens regenerates it).
/// </summary>
internal static class GoldenCases
{
    /// <summary>The instant golden_gen.cpp pins the clock to (TZ=UTC).</summary>
    public static readonly DateTimeOffset FixedNow = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public const string Bos = "<s>";
    public const string Eos = "</s>";

    public static string GoldensDir => Path.Combine(TestAssets.RepoRoot, "tests", "AgentHost.Jinja.Tests", "Goldens");

    public static string ConversationsDir => Path.Combine(GoldensDir, "conversations");

    public static string UnsupportedFile => Path.Combine(GoldensDir, "unsupported.txt");

    /// <summary>The 70 real chat templates shipped with llama.cpp v0.5.0.</summary>
    public static readonly GoldenSuite LlamaTemplates = new(
        "llama", Path.Combine(TestAssets.LlamaSource, "models", "templates"), Path.Combine(GoldensDir, "expected"));

    /// <summary>Small templates written to pin individual engine behaviours against llama.cpp.</summary>
    public static readonly GoldenSuite Snippets = new(
        "snippet", Path.Combine(GoldensDir, "snippets"), Path.Combine(GoldensDir, "expected-snippets"));

    public static IReadOnlyList<GoldenSuite> Suites => [LlamaTemplates, Snippets];

    public static IReadOnlyList<string> Conversations =>
        Directory.GetFiles(ConversationsDir, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList()!;

    public static IEnumerable<GoldenCase> Pairs =>
        from suite in Suites from t in suite.Templates from c in Conversations select new GoldenCase(suite, t, c);

    /// <summary>Pairs listed in unsupported.txt ("template/conversation: reason"), keyed by "template/conversation".</summary>
    public static IReadOnlyDictionary<string, string> Unsupported()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(UnsupportedFile)) return result;
        foreach (var raw in File.ReadAllLines(UnsupportedFile))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            var key = colon < 0 ? line : line[..colon];
            result[key] = colon < 0 ? "" : line[(colon + 2)..];
        }
        return result;
    }

    /// <summary>What llama.cpp produced for a pair: the prompt bytes, or its error message.</summary>
    public static GoldenExpectation Expected(GoldenCase pair)
    {
        var dir = Path.Combine(pair.Suite.ExpectedDir, pair.Template);
        var prompt = Path.Combine(dir, pair.Conversation + ".txt");
        var error = Path.Combine(dir, pair.Conversation + ".error.txt");
        if (File.Exists(prompt)) return new GoldenExpectation(File.ReadAllBytes(prompt), null);
        if (File.Exists(error)) return new GoldenExpectation(null, File.ReadAllText(error));
        throw new FileNotFoundException($"no golden for {pair}; run scripts/template-goldens/regenerate.sh", prompt);
    }

    /// <summary>Runs the managed pipeline on one pair.</summary>
    public static GoldenOutcome Render(GoldenCase pair)
    {
        var source = File.ReadAllText(Path.Combine(pair.Suite.TemplatesDir, pair.Template + ".jinja"));
        var json = File.ReadAllText(Path.Combine(ConversationsDir, pair.Conversation + ".json"));
        try
        {
            var prompt = ChatTemplateRenderer.RenderOpenAiConversation(source, json, Bos, Eos, addGenerationPrompt: true, new FixedClock(FixedNow));
            return new GoldenOutcome(prompt, null);
        }
        catch (Exception e) when (e is TemplateException or ChatConversationException)
        {
            return new GoldenOutcome(null, e);
        }
    }

    /// <summary>Null when the managed result matches llama.cpp, else a description of the difference.</summary>
    public static string? Mismatch(GoldenExpectation expected, GoldenOutcome actual)
    {
        if (expected.Prompt is { } bytes)
        {
            if (actual.Error is not null) return $"llama.cpp rendered a prompt but the engine threw: {actual.Error.Message}";
            // byte-exact: the prompt is tokenized as UTF-8
            if (bytes.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(actual.Prompt!))) return null;
            var expectedText = System.Text.Encoding.UTF8.GetString(bytes);
            if (expectedText == actual.Prompt) return "prompts decode to the same text but differ in bytes (invalid UTF-8 in llama.cpp's output)";
            var i = 0;
            while (i < expectedText.Length && i < actual.Prompt!.Length && expectedText[i] == actual.Prompt[i]) i++;
            static string Around(string s, int at) => s.Substring(Math.Max(0, at - 40), Math.Min(s.Length - Math.Max(0, at - 40), 80)).ReplaceLineEndings("⏎");
            return $"prompts differ at char {i}: expected …{Around(expectedText, i)}… got …{Around(actual.Prompt!, i)}…";
        }

        if (actual.Error is null) return $"llama.cpp failed ({expected.Error!.Trim()}) but the engine rendered a prompt";
        // when the template itself raised, the engine must raise the same message
        const string marker = "Jinja Exception: ";
        var at = expected.Error!.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var message = expected.Error[(at + marker.Length)..].TrimEnd('\n');
        if (actual.Error is not TemplateRaisedException raised) return $"expected raise_exception(\"{message}\") but got {actual.Error.GetType().Name}: {actual.Error.Message}";
        return raised.TemplateMessage == message ? null : $"raised \"{raised.TemplateMessage}\" instead of \"{message}\"";
    }
}

/// <summary>A folder of templates and the folder of llama.cpp outputs for them.</summary>
internal sealed record GoldenSuite(string Name, string TemplatesDir, string ExpectedDir)
{
    public IReadOnlyList<string> Templates =>
        Directory.GetFiles(TemplatesDir, "*.jinja").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList()!;
}

/// <summary>One (template, conversation) pair; its key is "template/conversation", prefixed "snippet:" for snippets.</summary>
internal sealed record GoldenCase(GoldenSuite Suite, string Template, string Conversation)
{
    public string Key => (Suite.Name == "llama" ? "" : Suite.Name + ":") + $"{Template}/{Conversation}";

    public override string ToString() => Key;
}

internal sealed record GoldenExpectation(byte[]? Prompt, string? Error);

internal sealed record GoldenOutcome(string? Prompt, Exception? Error);
