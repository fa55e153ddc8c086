using System.Text.Json.Nodes;
using AgentHost.Grammar;
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

    public string? TemplateSource => _template.Contains('{') ? _template : null;

    /// <summary>llama.cpp's recognizer knows roles and text only; tools are described in the system message instead.</summary>
    public bool RendersTools => false;

    public ChatPrompt Format(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools, IReadOnlyDictionary<string, JsonNode?>? templateKwargs = null)
    {
        // Tool calls and results become text in the generic JSON syntax the model is told to use.
        var list = ConversationJson.Messages(messages).Select(node =>
        {
            var m = node!.AsObject();
            var content = m["content"]?.GetValue<string>() ?? "";
            if (m["tool_calls"] is JsonArray calls)
            {
                var generic = new JsonArray(calls.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c!["function"]!["name"]!.DeepClone(),
                    ["arguments"] = JsonNode.Parse(c["function"]!["arguments"]!.GetValue<string>()),
                }).ToArray());
                content = (content.Length > 0 ? content + "\n" : "") + new JsonObject { ["tool_calls"] = generic }.ToJsonString();
            }
            return (Role: m["role"]!.GetValue<string>(), Content: content);
        }).ToList();
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
