using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Compat;

/// <summary>
/// Reproduces what llama.cpp's common_chat_templates_apply (use_jinja) does around the Jinja
/// render: source patches, OpenAI message normalization, capability-driven workarounds,
/// the date context variables, and the per-family message adjustments of its specialized
/// handlers — so the prompt equals the one llama-server would build.
/// </summary>
internal static class LlamaChatPipeline
{
    /// <summary>llama.cpp's fallback when a model has no template.</summary>
    public const string ChatMlTemplate =
        "{%- for message in messages -%}\n" +
        "  {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' -}}\n" +
        "{%- endfor -%}\n" +
        "{%- if add_generation_prompt -%}\n" +
        "  {{- '<|im_start|>assistant\n' -}}\n" +
        "{%- endif -%}";

    /// <summary>A template prepared once: patched source, parsed program and detected capabilities.</summary>
    public sealed record PreparedTemplate(string Source, ChatTemplate Template, TemplateCapabilities Caps);

    public static PreparedTemplate Prepare(string templateSource)
    {
        var src = PatchSource(templateSource);
        var template = ChatTemplate.Parse(src);
        return new PreparedTemplate(src, template, TemplateCapabilities.Detect(template));
    }

    /// <summary>The source edits common_chat_templates_init makes before parsing.</summary>
    public static string PatchSource(string source)
    {
        if (source.Length == 0 || source == "chatml") return ChatMlTemplate;
        // gpt-oss: a check that raises on the model's own channel markers in history
        if (source.Contains("<|channel|>", StringComparison.Ordinal) && source.Contains("in message.content or", StringComparison.Ordinal))
        {
            source = source.Replace(
                "{%- if \"<|channel|>analysis<|message|>\" in message.content or \"<|channel|>final<|message|>\" in message.content %}",
                "{%- if false %}", StringComparison.Ordinal);
        }
        // Mistral: a check that raises on assistant messages without content and tool calls
        if (source.Contains("[TOOL_CALLS]", StringComparison.Ordinal) && source.Contains("if (message['content'] is none or", StringComparison.Ordinal))
        {
            source = source.Replace(
                "{%- if (message['content'] is none or message['content'] == '' or message['content']|length == 0) and " +
                "(message['tool_calls'] is not defined or message['tool_calls'] is none or message['tool_calls']|length == 0) %}",
                "{%- if false %}", StringComparison.Ordinal);
        }
        return source;
    }

    public static string Apply(
        PreparedTemplate prepared,
        JsonNode? messagesJson,
        JsonNode? toolsJson,
        string bosToken,
        string eosToken,
        bool addGenerationPrompt,
        IReadOnlyDictionary<string, JsonNode?> templateKwargs,
        TimeProvider clock,
        RenderLimits limits)
    {
        var msgs = ChatMessage.ParseAll(messagesJson);
        var tools = OpenAiTools.Parse(toolsJson);
        var src = prepared.Source;
        var caps = prepared.Caps;

        if (src.Contains("You have access to the following functions in JSONSchema format", StringComparison.Ordinal))
            foreach (var m in msgs) m.TrimAllContent(); // StepFun

        var messages = Normalize(new JsonArray(msgs.Select(m => (JsonNode)m.ToJson()).ToArray()), caps);

        if (!src.Contains("<|channel|>", StringComparison.Ordinal))
        {
            foreach (var m in messages.OfType<JsonObject>())
                if (StringOf(m["role"]) == "developer") m["role"] = "system";
        }
        if (!caps.SupportsSystemRole) MergeSystemMessage(messages);
        if (caps.SupportsToolCalls)
        {
            foreach (var m in messages.OfType<JsonObject>())
                if (m.ContainsKey("tool_calls") && !m.ContainsKey("content")) m["content"] = "";
        }
        if (caps.SupportsObjectArguments) ParseToolCallArguments(messages);

        var now = clock.GetLocalNow();
        var extra = new List<KeyValuePair<string, JsonNode?>>
        {
            new("datetime", Strftime.Format("%b %d %Y", now)),
            new("date_string", Strftime.Format("%d %b %Y", now)),
        };
        foreach (var (key, value) in templateKwargs) Upsert(extra, key, value?.DeepClone());

        JsonArray? messagesOverride = null;
        var family = SpecializedFamilies.Detect(src);
        switch (family)
        {
            case TemplateFamily.Ministral3:
                messagesOverride = SpecializedFamilies.MinistralMessages(messages);
                break;
            case TemplateFamily.GptOss:
                messagesOverride = SpecializedFamilies.ThinkingMessages(messages, dropContentWithToolCalls: true);
                break;
            case TemplateFamily.Lfm2:
                messagesOverride = SpecializedFamilies.ThinkingMessages(messages, dropContentWithToolCalls: false);
                break;
            case TemplateFamily.DeepSeekV4:
                messagesOverride = SpecializedFamilies.SortDeepSeekToolResults(messages);
                break;
            case TemplateFamily.Gemma4Legacy:
                messages = SpecializedFamilies.ConvertGemma4ToolResponses(messages);
                break;
        }

        var prompt = DirectApply(prepared, messagesOverride ?? Normalize(messages, caps), tools, bosToken, eosToken,
            addGenerationPrompt, extra, now, limits);

        // Gemma 4: after content + tool calls the template does not open the model turn itself
        if (family is TemplateFamily.Gemma4 or TemplateFamily.Gemma4Legacy && addGenerationPrompt && prompt.EndsWith("<turn|>\n", StringComparison.Ordinal))
            prompt += "<|turn>model\n";
        return prompt;
    }

    /// <summary>common_chat_template_direct_apply: the variables every render gets, in llama.cpp's order.</summary>
    private static string DirectApply(
        PreparedTemplate prepared, JsonArray messages, JsonArray? tools, string bos, string eos, bool addGenerationPrompt,
        List<KeyValuePair<string, JsonNode?>> extra, DateTimeOffset now, RenderLimits limits)
    {
        var inp = new List<KeyValuePair<string, JsonNode?>>
        {
            new("messages", messages),
            new("bos_token", bos),
            new("eos_token", eos),
            new("enable_thinking", true),
        };
        if (tools is not null) inp.Add(new("tools", tools));
        foreach (var (key, value) in extra) Upsert(inp, key, value);
        if (addGenerationPrompt) Upsert(inp, "add_generation_prompt", true);

        // reasoning switches derived from the kwargs are set first; the input variables override them
        var derived = new List<KeyValuePair<string, JsonNode?>>();
        if (Find(inp, "preserve_reasoning") is JsonValue pr && pr.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            var enabled = pr.GetValueKind() == JsonValueKind.True;
            derived.Add(new("preserve_thinking", enabled));
            derived.Add(new("clear_thinking", !enabled));
            derived.Add(new("truncate_history_thinking", !enabled));
            derived.Add(new("drop_thinking", !enabled));
        }
        if (StringOf(Find(inp, "reasoning_effort")) is { Length: > 0 } effort)
        {
            derived.Add(new("reasoning_effort", effort));
            derived.Add(new("reasoning_strength", effort));
        }
        return prepared.Template.RenderVariables([.. derived, .. inp], now, limits);
    }

    /// <summary>Converts content between string and typed parts when the template supports only one form.</summary>
    private static JsonArray Normalize(JsonArray messages, TemplateCapabilities caps)
    {
        var onlyString = caps.SupportsStringContent && !caps.SupportsTypedContent;
        var onlyTyped = !caps.SupportsStringContent && caps.SupportsTypedContent;
        if (!onlyString && !onlyTyped) return messages;
        var normalized = new JsonArray();
        foreach (var node in messages)
        {
            var copy = node?.DeepClone();
            if (copy is JsonObject msg && msg.TryGetPropertyValue("content", out var content))
            {
                if (onlyTyped && StringOf(content) is { } text)
                    msg["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text });
                else if (onlyString && content is JsonArray parts)
                    msg["content"] = ChatMessage.ConcatParts(parts.OfType<JsonObject>().Select(p => (StringOf(p["type"]) ?? "", StringOf(p["text"]) ?? "")));
            }
            normalized.Add(copy);
        }
        return normalized;
    }

    /// <summary>Templates without a system role get the system text prepended to the next message.</summary>
    private static void MergeSystemMessage(JsonArray messages)
    {
        if (messages.Count == 0 || messages[0] is not JsonObject first || StringOf(first["role"]) != "system") return;
        if (messages.Count > 1)
        {
            var second = messages[1] as JsonObject ?? throw new ChatConversationException("message is not an object");
            second["content"] = RequireString(first["content"]) + "\n" + RequireString(second["content"]);
        }
        messages.RemoveAt(0);
    }

    private static void ParseToolCallArguments(JsonArray messages)
    {
        foreach (var m in messages.OfType<JsonObject>())
        {
            if (m["tool_calls"] is not JsonArray calls) continue;
            foreach (var call in calls.OfType<JsonObject>())
            {
                if (call["function"] is not JsonObject fn || !fn.ContainsKey("arguments")) continue;
                if (StringOf(fn["arguments"]) is not { } text) continue;
                var parsed = NlohmannJson.TryParse(text, out var ok);
                if (!ok) throw new ChatConversationException($"Failed to parse tool call arguments as JSON: {text}");
                fn["arguments"] = parsed;
            }
        }
    }

    internal static string? StringOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string RequireString(JsonNode? node) =>
        StringOf(node) ?? throw new ChatConversationException("cannot merge the system message: content is not a string");

    private static JsonNode? Find(List<KeyValuePair<string, JsonNode?>> list, string key) =>
        list.FindLast(kv => kv.Key == key).Value;

    /// <summary>JSON-object assignment semantics: replace in place, or append.</summary>
    private static void Upsert(List<KeyValuePair<string, JsonNode?>> list, string key, JsonNode? value)
    {
        var i = list.FindIndex(kv => kv.Key == key);
        if (i >= 0) list[i] = new(key, value);
        else list.Add(new(key, value));
    }
}
