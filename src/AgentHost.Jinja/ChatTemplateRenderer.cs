using System.Text.Json.Nodes;

namespace AgentHost.Jinja;

/// <summary>
/// One-shot helpers over <see cref="OpenAiChatTemplate"/>: render OpenAI-style conversations
/// exactly as llama.cpp's chat pipeline does (common_chat_templates_apply with use_jinja). This is
/// the entry point for <c>agenthost template render --template FILE.jinja --conversation FILE.json</c>.
/// </summary>
public static class ChatTemplateRenderer
{
    /// <summary>
    /// Renders <paramref name="conversationJson"/> — an OpenAI chat request body
    /// <c>{"messages": [...], "tools": [...], "chat_template_kwargs": {...}}</c> (tools and kwargs optional) —
    /// with the template and returns the exact prompt text.
    /// </summary>
    /// <exception cref="TemplateSyntaxException">The template does not parse.</exception>
    /// <exception cref="TemplateRaisedException">The template called raise_exception.</exception>
    /// <exception cref="TemplateRuntimeException">Rendering failed.</exception>
    /// <exception cref="ChatConversationException">The conversation JSON is malformed or unsupported.</exception>
    public static string RenderOpenAiConversation(
        string templateSource,
        string conversationJson,
        string bosToken,
        string eosToken,
        bool addGenerationPrompt = true,
        TimeProvider? clock = null) =>
        OpenAiChatTemplate.Create(templateSource, bosToken, eosToken).RenderConversation(conversationJson, addGenerationPrompt, clock);

    /// <summary>Renders OpenAI-style <paramref name="messages"/> and optional <paramref name="tools"/> (see <see cref="OpenAiChatTemplate.Render"/>).</summary>
    public static string RenderOpenAiMessages(
        string templateSource,
        JsonNode? messages,
        JsonNode? tools,
        string bosToken,
        string eosToken,
        bool addGenerationPrompt = true,
        IReadOnlyDictionary<string, JsonNode?>? templateKwargs = null,
        TimeProvider? clock = null) =>
        OpenAiChatTemplate.Create(templateSource, bosToken, eosToken).Render(messages, tools, addGenerationPrompt, templateKwargs, clock);

    /// <summary>
    /// The capabilities llama.cpp would detect for a template source (after the same source
    /// patches it applies), e.g. whether the template renders tools and tool calls.
    /// </summary>
    public static TemplateCapabilities DetectCapabilities(string templateSource) =>
        OpenAiChatTemplate.Create(templateSource).Capabilities;
}
