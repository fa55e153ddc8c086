using AgentHost.Jinja;
using AgentHost.Native;
using Microsoft.Extensions.Logging;

namespace AgentHost.Llama.Chat;

/// <summary>
/// Chooses how conversations are formatted for a model: a configured template (built-in name or Jinja text), else
/// the GGUF's own Jinja template; llama.cpp's built-in recognizer is the fallback when the GGUF's template cannot be
/// parsed. A configured template is the user's own: one that is neither a known name nor valid Jinja fails the
/// start, naming the problem and (for Jinja) the line and column.
/// </summary>
public static class ChatPromptFormatterFactory
{
    /// <param name="configuredTemplate">Llama:ChatTemplate / --chat-template / --chat-template-file: a built-in name or Jinja text; null = the model's.</param>
    public static IChatPromptFormatter Create(LlamaModel model, string? configuredTemplate, ILogger? logger = null)
    {
        var template = configuredTemplate ?? model.ChatTemplate
            ?? throw new ChatTemplateException($"The model '{Path.GetFileName(model.Path)}' carries no chat template (tokenizer.chat_template). Name one with Llama:ChatTemplate or --chat-template (e.g. chatml).");
        var vocab = model.Handle;
        var bos = vocab.BosToken >= 0 ? vocab.TokenText(vocab.BosToken) : "";
        var eos = vocab.EosToken >= 0 ? vocab.TokenText(vocab.EosToken) : "";
        var isJinja = template.Contains("{{", StringComparison.Ordinal) || template.Contains("{%", StringComparison.Ordinal);
        if (configuredTemplate is not null && !isJinja)
        {
            var name = configuredTemplate.Trim();
            var known = SafeLlamaModelHandle.BuiltinTemplates();
            if (!known.Contains(name, StringComparer.Ordinal))
                throw new ChatTemplateException($"The configured chat template (Llama:ChatTemplate / --chat-template) is neither a built-in name nor Jinja text (with '{{{{' or '{{%'): '{Shorten(name)}'. Known built-in names: {string.Join(", ", known)}.");
            template = name;
        }

        IChatPromptFormatter formatter;
        if (isJinja)
        {
            try
            {
                formatter = new JinjaTemplateFormatter(template, bos, eos, configuredTemplate is null ? "gguf (jinja)" : "configured (jinja)", logger);
            }
            catch (TemplateSyntaxException ex) when (configuredTemplate is not null)
            {
                // The user wrote this template: a syntax error is theirs to fix, not something to guess around.
                throw new ChatTemplateException($"The configured chat template is not valid Jinja: {ex.Message}.", ex);
            }
            catch (TemplateException ex)
            {
                logger?.LogWarning("The chat template cannot be rendered by the Jinja engine ({Error}); falling back to llama.cpp's built-in recognizer", ex.Message);
                formatter = new BuiltinTemplateFormatter(template, vocab.AddBos ? bos : null, logger);
            }
        }
        else
        {
            formatter = new BuiltinTemplateFormatter(template, vocab.AddBos ? bos : null, logger);
        }
        logger?.LogInformation("Chat template: {Template}", formatter.TemplateName);
        return formatter;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
