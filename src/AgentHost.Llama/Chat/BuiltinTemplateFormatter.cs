using AgentHost.Native;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

/// <summary>
/// Formats with llama.cpp's built-in recognizer (llama_chat_apply_template): it knows the common template families
/// (chatml, llama2/3, mistral, phi, gemma, ...) by name or by sniffing the GGUF's template. Used for models whose
/// Jinja template cannot be rendered, and when a built-in template is named.
/// </summary>
public sealed class BuiltinTemplateFormatter : IChatPromptFormatter
{
    private readonly string _template;
    private readonly string? _bosText;

    /// <param name="template">A built-in name (e.g. "chatml") or template source llama.cpp can recognise.</param>
    /// <param name="bosText">The vocabulary's BOS text, when the vocab adds BOS (so it is not added twice).</param>
    public BuiltinTemplateFormatter(string template, string? bosText)
    {
        _template = template;
        _bosText = bosText;
        TemplateName = template.Length <= 40 && !template.Contains('{') ? template : "gguf (llama.cpp built-in recognizer)";
        if (SafeLlamaModelHandle.ApplyBuiltinTemplate(template, [("user", "x")], addAssistant: true) is null)
            throw new ChatTemplateException($"llama.cpp does not recognise the chat template '{TemplateName}'. Known built-in names: {string.Join(", ", SafeLlamaModelHandle.BuiltinTemplates())}.");
    }

    public string TemplateName { get; }

    public ChatPrompt Format(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var list = messages.Select(m => (Role: m.Role.Value, Content: m.Text)).ToList();
        var text = SafeLlamaModelHandle.ApplyBuiltinTemplate(_template, list, addAssistant: true)
            ?? throw new ChatTemplateException($"llama.cpp could not apply the chat template '{TemplateName}'.");
        var templateWroteBos = _bosText is { Length: > 0 } && text.StartsWith(_bosText, StringComparison.Ordinal);
        return new ChatPrompt(text, AddSpecialTokens: !templateWroteBos);
    }
}

/// <summary>A chat template that cannot be parsed, applied or found.</summary>
public sealed class ChatTemplateException : LlamaException
{
    public ChatTemplateException(string message, Exception? inner = null) : base(message, inner) { }
}
