using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Jinja.Compat;

/// <summary>OpenAI tool declarations normalized as llama.cpp does: {type, function: {name, description, parameters}}.</summary>
internal static class OpenAiTools
{
    /// <summary>The normalized tools, or null when there are none (then <c>tools</c> stays undefined).</summary>
    public static JsonArray? Parse(JsonNode? tools)
    {
        var result = new JsonArray();
        try
        {
            if (tools is null) return null;
            if (tools is not JsonArray array) throw new ChatConversationException($"Expected 'tools' to be an array, got {NlohmannJson.Dump(tools)}");
            foreach (var tool in array)
            {
                var dump = NlohmannJson.Dump(tool);
                if (tool is not JsonObject t || !t.ContainsKey("type")) throw new ChatConversationException($"Missing tool type: {dump}");
                if (t["type"] is not JsonValue tv || tv.GetValueKind() != JsonValueKind.String || tv.GetValue<string>() != "function")
                    throw new ChatConversationException($"Unsupported tool type: {dump}");
                if (!t.TryGetPropertyValue("function", out var fnNode)) throw new ChatConversationException($"Missing tool function: {dump}");
                if (fnNode is not JsonObject fn || !fn.ContainsKey("name")) throw new ChatConversationException($"Missing tool name: {dump}");
                var name = StringOf(fn["name"], "name");
                var description = fn.TryGetPropertyValue("description", out var d) ? StringOf(d, "description") : "";
                var parameters = fn.TryGetPropertyValue("parameters", out var p) ? p?.DeepClone() : new JsonObject();
                result.Add(new JsonObject
                {
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["description"] = description, ["parameters"] = parameters },
                });
            }
        }
        catch (ChatConversationException e)
        {
            throw new ChatConversationException("Failed to parse tools: " + e.Message, e);
        }
        return result.Count == 0 ? null : result;
    }

    private static string StringOf(JsonNode? node, string what) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new ChatConversationException($"tool '{what}' must be a string");
}
