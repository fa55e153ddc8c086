using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Jinja.Compat;

namespace AgentHost.Jinja;

/// <summary>
/// A chat template prepared for OpenAI-style conversations the way llama.cpp prepares it
/// (source patches, parse, capability detection) — reuse one instance per model, then call
/// <see cref="Render"/> per request to get the exact prompt llama-server would build.
/// Thread-safe.
/// </summary>
public sealed class OpenAiChatTemplate
{
    private readonly LlamaChatPipeline.PreparedTemplate _prepared;

    private OpenAiChatTemplate(LlamaChatPipeline.PreparedTemplate prepared, string bosToken, string eosToken)
    {
        _prepared = prepared;
        BosToken = bosToken;
        EosToken = eosToken;
    }

    /// <summary>Prepares <paramref name="templateSource"/> (empty or "chatml" selects llama.cpp's ChatML fallback).</summary>
    /// <exception cref="TemplateSyntaxException">The template does not parse.</exception>
    public static OpenAiChatTemplate Create(string templateSource, string bosToken = "", string eosToken = "")
    {
        ArgumentNullException.ThrowIfNull(templateSource);
        return new OpenAiChatTemplate(LlamaChatPipeline.Prepare(templateSource), bosToken ?? "", eosToken ?? "");
    }

    /// <summary>The parsed template (after llama.cpp's source patches).</summary>
    public ChatTemplate Template => _prepared.Template;

    /// <summary>What the template supports, as llama.cpp detects it.</summary>
    public TemplateCapabilities Capabilities => _prepared.Caps;

    /// <summary>Value of <c>bos_token</c>.</summary>
    public string BosToken { get; }

    /// <summary>Value of <c>eos_token</c>.</summary>
    public string EosToken { get; }

    /// <summary>
    /// Renders OpenAI-style <paramref name="messages"/> (a JSON array) and optional
    /// <paramref name="tools"/>; <paramref name="templateKwargs"/> are llama-server's
    /// chat_template_kwargs (e.g. <c>enable_thinking</c>).
    /// </summary>
    /// <exception cref="TemplateRaisedException">The template called raise_exception.</exception>
    /// <exception cref="TemplateRuntimeException">Rendering failed.</exception>
    /// <exception cref="ChatConversationException">The messages or tools are malformed or unsupported.</exception>
    public string Render(
        JsonNode? messages,
        JsonNode? tools = null,
        bool addGenerationPrompt = true,
        IReadOnlyDictionary<string, JsonNode?>? templateKwargs = null,
        TimeProvider? clock = null,
        RenderLimits? limits = null) =>
        LlamaChatPipeline.Apply(_prepared, messages, tools, BosToken, EosToken, addGenerationPrompt,
            templateKwargs ?? new Dictionary<string, JsonNode?>(), clock ?? TimeProvider.System, limits ?? RenderLimits.Default);

    /// <summary>
    /// Renders an OpenAI chat request body
    /// <c>{"messages": [...], "tools": [...], "chat_template_kwargs": {...}}</c> (tools and kwargs optional).
    /// </summary>
    /// <exception cref="ChatConversationException">The JSON is not such an object, or its messages/tools are invalid.</exception>
    public string RenderConversation(string conversationJson, bool addGenerationPrompt = true, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(conversationJson);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(conversationJson);
        }
        catch (JsonException e)
        {
            throw new ChatConversationException($"conversation is not valid JSON: {e.Message}", e);
        }
        if (root is not JsonObject request) throw new ChatConversationException("conversation JSON must be an object with a \"messages\" array");

        var kwargs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (request["chat_template_kwargs"] is JsonObject kw)
            foreach (var (key, value) in kw) kwargs[key] = value;
        return Render(request["messages"], request["tools"], addGenerationPrompt, kwargs, clock);
    }
}
