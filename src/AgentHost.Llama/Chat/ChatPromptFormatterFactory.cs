using AgentHost.Jinja;
using Microsoft.Extensions.Logging;

namespace AgentHost.Llama.Chat;

/// <summary>
/// Chooses how conversations are formatted for a model: a configured template (built-in name or Jinja text), else
/// the GGUF's own Jinja template; llama.cpp's built-in recognizer is the fallback when a template cannot be parsed.
/// </summary>
public static class ChatPromptFormatterFactory
{
    /// <param name="configuredTemplate">Llama:ChatTemplate / --chat-template: a built-in name or Jinja text; null = the model's.</param>
    public static IChatPromptFormatter Create(LlamaModel model, string? configuredTemplate, ILogger? logger = null)
    {
        var template = configuredTemplate ?? model.ChatTemplate
            ?? throw new ChatTemplateException($"The model '{Path.GetFileName(model.Path)}' carries no chat template (tokenizer.chat_template). Name one with Llama:ChatTemplate or --chat-template (e.g. chatml).");
        var vocab = model.Handle;
        var bos = vocab.BosToken >= 0 ? vocab.TokenText(vocab.BosToken) : "";
        var eos = vocab.EosToken >= 0 ? vocab.TokenText(vocab.EosToken) : "";
        IChatPromptFormatter formatter;
        if (template.Contains("{{", StringComparison.Ordinal) || template.Contains("{%", StringComparison.Ordinal))
        {
            try
            {
                formatter = new JinjaTemplateFormatter(template, bos, eos, configuredTemplate is null ? "gguf (jinja)" : "configured (jinja)", logger);
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
}
