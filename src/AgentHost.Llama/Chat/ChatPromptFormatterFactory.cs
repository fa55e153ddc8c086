using Microsoft.Extensions.Logging;

namespace AgentHost.Llama.Chat;

/// <summary>Chooses how conversations are formatted for a model: the configured template, else the GGUF's own.</summary>
public static class ChatPromptFormatterFactory
{
    /// <param name="configuredTemplate">Llama:ChatTemplate / --chat-template: a built-in name or template text; null = the model's.</param>
    public static IChatPromptFormatter Create(LlamaModel model, string? configuredTemplate, ILogger? logger = null)
    {
        var template = configuredTemplate ?? model.ChatTemplate
            ?? throw new ChatTemplateException($"The model '{Path.GetFileName(model.Path)}' carries no chat template (tokenizer.chat_template). Name one with Llama:ChatTemplate or --chat-template (e.g. chatml).");
        var bos = model.Handle.AddBos ? model.Handle.TokenText(model.Handle.BosToken) : null;
        var formatter = new BuiltinTemplateFormatter(template, bos);
        logger?.LogInformation("Chat template: {Template}", formatter.TemplateName);
        return formatter;
    }
}
