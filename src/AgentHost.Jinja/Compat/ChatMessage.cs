using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Jinja.Compat;

/// <summary>A tool call as llama.cpp stores it: arguments are kept as JSON text.</summary>
internal sealed record ChatToolCall(string Name, string Arguments, string Id);

/// <summary>A typed content part ("text" or "media_marker").</summary>
internal sealed record ChatContentPart(string Type, string Text);

/// <summary>
/// One chat message after llama.cpp's OpenAI parsing (common_chat_msgs_parse_oaicompat) and
/// before it is turned back into template JSON (to_json_oaicompat), which fixes key order and
/// defaults such as <c>content: ""</c>.
/// </summary>
internal sealed class ChatMessage
{
    public string Role { get; set; } = "";
    public string Content { get; set; } = "";
    public List<ChatContentPart> ContentParts { get; } = [];
    public List<ChatToolCall> ToolCalls { get; } = [];
    public string ReasoningContent { get; set; } = "";
    public string ToolName { get; set; } = "";
    public string ToolCallId { get; set; } = "";

    public static List<ChatMessage> ParseAll(JsonNode? messages)
    {
        try
        {
            if (messages is not JsonArray array)
                throw new ChatConversationException($"Expected 'messages' to be an array, got {NlohmannJson.Dump(messages)}");
            return array.Select(Parse).ToList();
        }
        catch (ChatConversationException e)
        {
            throw new ChatConversationException("Failed to parse messages: " + e.Message, e);
        }
    }

    private static ChatMessage Parse(JsonNode? node)
    {
        if (node is not JsonObject message)
            throw new ChatConversationException($"Expected 'message' to be an object, got {NlohmannJson.Dump(node)}");
        if (!message.ContainsKey("role")) throw new ChatConversationException($"Missing 'role' in message: {NlohmannJson.Dump(message)}");
        var msg = new ChatMessage { Role = RequireString(message["role"], "role") };

        var hasContent = message.TryGetPropertyValue("content", out var content);
        var hasToolCalls = message.TryGetPropertyValue("tool_calls", out var toolCalls);
        if (hasContent)
        {
            switch (content)
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    msg.Content = v.GetValue<string>();
                    break;
                case JsonArray parts:
                    foreach (var part in parts)
                    {
                        if (part is not JsonObject p || !p.ContainsKey("type"))
                            throw new ChatConversationException($"Missing content part type: {NlohmannJson.Dump(part)}");
                        var type = p["type"] is JsonValue tv && tv.GetValueKind() == JsonValueKind.String ? tv.GetValue<string>() : null;
                        if (type is not ("text" or "media_marker"))
                            throw new ChatConversationException($"Unsupported content part type: {NlohmannJson.Dump(p["type"])}");
                        if (!p.ContainsKey("text")) throw new ChatConversationException("content part is missing 'text'");
                        msg.ContentParts.Add(new ChatContentPart(type, RequireString(p["text"], "text")));
                    }
                    break;
                case null:
                    break;
                default:
                    throw new ChatConversationException(
                        $"Invalid 'content' type: expected string or array, got {NlohmannJson.Dump(content)} (ref: https://github.com/ggml-org/llama.cpp/issues/8367)");
            }
        }
        if (hasToolCalls)
        {
            IEnumerable<JsonNode?> calls = toolCalls switch
            {
                JsonArray a => a,
                JsonObject o => o.Select(kv => kv.Value),
                null => [],
                _ => [toolCalls],
            };
            foreach (var call in calls) msg.ToolCalls.Add(ParseToolCall(call));
        }
        if (!hasContent && !hasToolCalls)
        {
            throw new ChatConversationException(
                "Expected 'content' or 'tool_calls' (ref: https://github.com/ggml-org/llama.cpp/issues/8367 & https://github.com/ggml-org/llama.cpp/issues/12279)");
        }
        if (message.ContainsKey("reasoning_content")) msg.ReasoningContent = RequireString(message["reasoning_content"], "reasoning_content");
        if (message.ContainsKey("name")) msg.ToolName = RequireString(message["name"], "name");
        if (message.ContainsKey("tool_call_id")) msg.ToolCallId = RequireString(message["tool_call_id"], "tool_call_id");
        return msg;
    }

    private static ChatToolCall ParseToolCall(JsonNode? node)
    {
        var dump = NlohmannJson.Dump(node);
        if (node is not JsonObject call || !call.ContainsKey("type")) throw new ChatConversationException($"Missing tool call type: {dump}");
        if (call["type"] is not JsonValue t || t.GetValueKind() != JsonValueKind.String || t.GetValue<string>() != "function")
            throw new ChatConversationException($"Unsupported tool call type: {dump}");
        if (call["function"] is not JsonObject fn) throw new ChatConversationException($"Missing tool call function: {dump}");
        if (!fn.ContainsKey("name")) throw new ChatConversationException($"Missing tool call name: {dump}");
        var name = RequireString(fn["name"], "function.name");
        if (!fn.TryGetPropertyValue("arguments", out var args)) throw new ChatConversationException($"Missing tool call arguments: {dump}");
        var arguments = args is JsonValue av && av.GetValueKind() == JsonValueKind.String ? av.GetValue<string>() : NlohmannJson.Dump(args);
        var id = call.ContainsKey("id") ? RequireString(call["id"], "id") : "";
        return new ChatToolCall(name, arguments, id);
    }

    private static string RequireString(JsonNode? node, string what) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new ChatConversationException($"'{what}' must be a string, got {NlohmannJson.Dump(node)}");

    /// <summary>Template-facing JSON in llama.cpp's key order: role, content, reasoning_content, name, tool_call_id, tool_calls.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["role"] = Role };
        if (Content.Length > 0) json["content"] = Content;
        else if (ContentParts.Count > 0)
        {
            if (ContentParts.Any(p => p.Type == "media_marker")) json["content"] = ConcatParts(ContentParts.Select(p => (p.Type, p.Text)));
            else json["content"] = new JsonArray(ContentParts.Select(p => (JsonNode)new JsonObject { ["type"] = p.Type, ["text"] = p.Text }).ToArray());
        }
        else json["content"] = "";
        if (ReasoningContent.Length > 0) json["reasoning_content"] = ReasoningContent;
        if (ToolName.Length > 0) json["name"] = ToolName;
        if (ToolCallId.Length > 0) json["tool_call_id"] = ToolCallId;
        if (ToolCalls.Count > 0)
        {
            var calls = new JsonArray();
            foreach (var tc in ToolCalls)
            {
                var call = new JsonObject
                {
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = tc.Name, ["arguments"] = tc.Arguments },
                };
                if (tc.Id.Length > 0) call["id"] = tc.Id;
                calls.Add(call);
            }
            json["tool_calls"] = calls;
        }
        return json;
    }

    /// <summary>Joins text parts with newlines, with no newline next to media markers.</summary>
    public static string ConcatParts(IEnumerable<(string Type, string Text)> parts)
    {
        var text = "";
        var lastWasMedia = false;
        foreach (var (type, partText) in parts)
        {
            bool addNewLine;
            if (type == "text")
            {
                addNewLine = !lastWasMedia && text.Length > 0;
                lastWasMedia = false;
            }
            else if (type == "media_marker")
            {
                addNewLine = false;
                lastWasMedia = true;
            }
            else continue;
            if (addNewLine) text += "\n";
            text += partText;
        }
        return text;
    }

    /// <summary>StepFun workaround: trims message text (C-locale whitespace) before rendering.</summary>
    public void TrimAllContent()
    {
        Content = TrimC(Content);
        ReasoningContent = TrimC(ReasoningContent);
        for (var i = 0; i < ContentParts.Count; i++)
            if (ContentParts[i].Type == "text") ContentParts[i] = ContentParts[i] with { Text = TrimC(ContentParts[i].Text) };
    }

    private static string TrimC(string s) => s.Trim(' ', '\t', '\n', '\v', '\f', '\r');
}
