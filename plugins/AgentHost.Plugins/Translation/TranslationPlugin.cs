using System.ComponentModel;
using System.Text.Json;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Translation;

/// <summary>Translation tools over <see cref="Translator"/>.</summary>
[Description("Translation between languages (Chinese and English and 19 others) with source detection, formality, a glossary, and placeholders/markup/code kept exactly.")]
public sealed class TranslationPlugin(Translator translator)
{
    public const string PluginName = "Translation";

    [KernelFunction, Description("Translate a text. Placeholders ({name}, %s), markup, code spans and URLs are kept exactly; long texts are split and reassembled in order.")]
    public async Task<string> TranslateAsync(
        Kernel kernel,
        [Description("The text to translate.")] string text,
        [Description("The language to translate into: a code (zh, en, zh-Hant, fr…) or a name (Chinese, English).")] string target_language,
        [Description("The language of the text, or auto to detect it.")] string source_language = "auto",
        [Description("default, formal or informal.")] string formality = "default",
        [Description("Fixed term translations: a JSON object {\"term\": \"translation\"} or lines term=translation; may be empty.")] string glossary = "",
        CancellationToken cancellationToken = default)
    {
        var result = await translator.TranslateAsync(kernel, new TranslationRequest
        {
            Text = text,
            TargetLanguage = target_language,
            SourceLanguage = source_language,
            Formality = Require.Enum<Formality>(formality, "formality"),
            Glossary = Glossary.Parse(glossary),
        }, cancellationToken).ConfigureAwait(false);
        return result.Text;
    }

    [KernelFunction, Description("Translate several texts with the same settings. Each item reports its translation or its own error.")]
    public Task<ToolResult<IReadOnlyList<BatchItemResult>>> TranslateBatchAsync(
        Kernel kernel,
        [Description("The texts to translate, as a JSON array of strings.")] string texts,
        [Description("The language to translate into.")] string target_language,
        [Description("The language of the texts, or auto to detect each.")] string source_language = "auto",
        [Description("default, formal or informal.")] string formality = "default",
        [Description("Fixed term translations (JSON object or term=translation lines); may be empty.")] string glossary = "",
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(async () =>
        {
            List<string>? list;
            try
            {
                list = JsonSerializer.Deserialize<List<string>>(texts ?? "");
            }
            catch (JsonException)
            {
                throw new PluginInputException("texts", "must be a JSON array of strings, e.g. [\"Hello\", \"Goodbye\"]");
            }
            if (list is null) throw new PluginInputException("texts", "must be a JSON array of strings, e.g. [\"Hello\", \"Goodbye\"]");
            return await translator.TranslateBatchAsync(kernel, list, target_language, source_language, Require.Enum<Formality>(formality, "formality"), Glossary.Parse(glossary), cancellationToken).ConfigureAwait(false);
        });

    [KernelFunction, Description("Detect the language of a text: ISO 639-1 code, name, confidence and method (heuristic or model).")]
    public Task<ToolResult<LanguageDetection>> DetectLanguageAsync(
        Kernel kernel,
        [Description("The text whose language to detect.")] string text,
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(() => translator.DetectAsync(kernel, text, cancellationToken));
}
