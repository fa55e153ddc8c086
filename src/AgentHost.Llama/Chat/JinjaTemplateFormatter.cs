using System.Text.Json.Nodes;
using AgentHost.Grammar;
using AgentHost.Jinja;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

/// <summary>
/// Renders conversations with the model's own Jinja chat template (tokenizer.chat_template) exactly as llama.cpp's
/// renderer does, tools, tool calls and tool results included.
/// </summary>
public sealed class JinjaTemplateFormatter : IChatPromptFormatter
{
    private readonly OpenAiChatTemplate _template;
    private readonly string _bos;

    /// <exception cref="TemplateSyntaxException">The template does not parse (names line and column).</exception>
    public JinjaTemplateFormatter(string source, string bosToken, string eosToken, string name = "gguf (jinja)")
    {
        _template = OpenAiChatTemplate.Create(source, bosToken, eosToken);
        _bos = bosToken;
        TemplateSource = source;
        TemplateName = name;
    }

    public string TemplateName { get; }
    public string? TemplateSource { get; }
    public bool RendersTools => _template.Capabilities.SupportsTools && _template.Capabilities.SupportsToolCalls;

    public ChatPrompt Format(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools, IReadOnlyDictionary<string, JsonNode?>? templateKwargs = null)
    {
        var json = ConversationJson.Messages(messages);
        var toolJson = tools.Count > 0 ? ConversationJson.Tools(tools) : null;
        var clock = TimeProvider.System;
        var text = _template.Render(json, toolJson, addGenerationPrompt: true, templateKwargs, clock);
        // Templates that write bos_token themselves must not get a second BOS from the tokenizer.
        var templateWroteBos = _bos.Length > 0 && text.StartsWith(_bos, StringComparison.Ordinal);
        return new ChatPrompt(text, AddSpecialTokens: !templateWroteBos) { GenerationPrompt = GenerationPrompt(text, json, toolJson, templateKwargs, clock) };
    }

    /// <summary>What add_generation_prompt adds: the rendering with it past the common prefix with the one without (llama.cpp's way).</summary>
    private string GenerationPrompt(string withPrompt, JsonArray messages, JsonArray? tools, IReadOnlyDictionary<string, JsonNode?>? kwargs, TimeProvider clock)
    {
        string without;
        try
        {
            without = _template.Render(messages.DeepClone(), tools?.DeepClone(), addGenerationPrompt: false, kwargs, clock);
        }
        catch (TemplateException)
        {
            // Some templates refuse to render a conversation that ends with a user turn without the prompt.
            return "";
        }
        var n = 0;
        var max = Math.Min(without.Length, withPrompt.Length);
        while (n < max && without[n] == withPrompt[n]) n++;
        return withPrompt[n..];
    }
}
