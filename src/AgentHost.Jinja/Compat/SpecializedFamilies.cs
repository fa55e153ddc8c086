using System.Text.Json.Nodes;

namespace AgentHost.Jinja.Compat;

/// <summary>Template families whose llama.cpp handler changes the messages or the prompt.</summary>
internal enum TemplateFamily
{
    Generic,
    Ministral3,
    GptOss,
    Lfm2,
    DeepSeekV4,
    Gemma4,
    Gemma4Legacy,
}

/// <summary>
/// The detection order of common_chat_try_specialized_template and the message rewrites its
/// handlers perform. Families that only render plainly still stop the search, so they are matched too.
/// </summary>
internal static class SpecializedFamilies
{
    public static TemplateFamily Detect(string src)
    {
        bool Has(string s) => src.Contains(s, StringComparison.Ordinal);
        if (Has("[SYSTEM_PROMPT]") && Has("[TOOL_CALLS]") && Has("[ARGS]") && !Has("[CALL_ID]")) return TemplateFamily.Ministral3;
        if (Has("<|channel|>")) return TemplateFamily.GptOss;
        if (Has("<atem:function_calls>") && Has("<|eom|>")) return TemplateFamily.Generic; // Muse Glimmer
        if (Has(">>>all") && Has(">>>${recipient}")) return TemplateFamily.Generic; // Functionary v3.2
        if (Has("<|tool_calls_section_begin|>") && Has("<|tool_call_begin|>")) return TemplateFamily.Generic; // Kimi K2
        if (Has("<|open|>") && Has("<|close|>") && Has("<|end_of_msg|>")) return TemplateFamily.Generic; // Kimi K3
        if (Has("<role>ASSISTANT</role>") && Has("<arg_key>")) return TemplateFamily.Generic; // Ling 3
        if (Has("<|START_TEXT|>") && Has("<|START_ACTION|>")) return TemplateFamily.Generic; // Cohere2 MoE
        if (Has("<|tool_list_start|>") && Has("<|tool_list_end|>")) return TemplateFamily.Lfm2;
        if (Has("List of tools: [") && !Has("<|tool_list_start|>")) return TemplateFamily.Lfm2; // LFM2.5
        if (Has("<|role_sep|>") && Has("<|message_sep|>") && !Has("<|function_call|>")) return TemplateFamily.Generic; // GigaChat 3
        if (Has("]<]minimax[>[") && Has("<tool_call>") && Has("<invoke name=")) return TemplateFamily.Generic; // MiniMax M3
        if (Has("dsml_token") && Has("DSML") && (Has("function_calls") || Has("tool_calls")))
            return Has("function_calls") ? TemplateFamily.Generic : TemplateFamily.DeepSeekV4;
        if (Has("'<|tool_call>call:'"))
            return Has("{#- OpenAI Chat Completions:") ? TemplateFamily.Gemma4 : TemplateFamily.Gemma4Legacy;
        return TemplateFamily.Generic;
    }

    /// <summary>gpt-oss and LFM2 read reasoning from "thinking"; gpt-oss also drops content beside tool calls.</summary>
    public static JsonArray ThinkingMessages(JsonArray messages, bool dropContentWithToolCalls)
    {
        var adjusted = new JsonArray();
        foreach (var node in messages)
        {
            var msg = node?.DeepClone();
            if (msg is JsonObject m && LlamaChatPipeline.StringOf(m["reasoning_content"]) is { } reasoning)
            {
                m["thinking"] = reasoning;
                if (dropContentWithToolCalls && m["tool_calls"] is JsonArray { Count: > 0 }) m.Remove("content");
            }
            adjusted.Add(msg);
        }
        return adjusted;
    }

    /// <summary>Ministral 3: system/assistant content becomes blocks, with reasoning as a leading "thinking" block.</summary>
    public static JsonArray MinistralMessages(JsonArray messages)
    {
        var adjusted = new JsonArray();
        foreach (var node in messages)
        {
            var msg = node?.DeepClone();
            if (msg is not JsonObject m || LlamaChatPipeline.StringOf(m["role"]) is not ("system" or "assistant"))
            {
                adjusted.Add(msg);
                continue;
            }
            var content = new JsonArray();
            if (LlamaChatPipeline.StringOf(m["reasoning_content"]) is { } reasoning)
                content.Add(new JsonObject { ["type"] = "thinking", ["thinking"] = reasoning });
            if (m.TryGetPropertyValue("content", out var c))
            {
                if (LlamaChatPipeline.StringOf(c) is { } text) content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
                else if (c is JsonArray blocks) foreach (var block in blocks) content.Add(block?.DeepClone());
            }
            m["content"] = content;
            m.Remove("reasoning_content");
            adjusted.Add(m);
        }
        return adjusted;
    }

    /// <summary>DeepSeek V4: tool results of one run are reordered to follow the assistant's tool-call order.</summary>
    public static JsonArray SortDeepSeekToolResults(JsonArray messages)
    {
        var adjusted = messages.Select(m => m?.DeepClone()).ToList();
        var callOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        string Role(JsonNode? m) => LlamaChatPipeline.StringOf((m as JsonObject)?["role"]) ?? "";
        for (var i = 0; i < adjusted.Count;)
        {
            var msg = adjusted[i] as JsonObject;
            var role = Role(msg);
            if (role == "assistant" && msg?["tool_calls"] is JsonArray { Count: > 0 } calls)
            {
                callOrder.Clear();
                for (var idx = 0; idx < calls.Count; idx++)
                {
                    var id = LlamaChatPipeline.StringOf((calls[idx] as JsonObject)?["id"]) ?? "";
                    if (id.Length > 0) callOrder[id] = idx;
                }
                i++;
                continue;
            }
            if (role is not ("user" or "tool"))
            {
                i++;
                continue;
            }
            var toolPositions = new List<int>();
            var runEnd = i;
            for (; runEnd < adjusted.Count; runEnd++)
            {
                var r = Role(adjusted[runEnd]);
                if (r == "tool") toolPositions.Add(runEnd);
                else if (r != "user") break;
            }
            if (toolPositions.Count > 1 && callOrder.Count > 0)
            {
                int Order(JsonNode? m) =>
                    callOrder.TryGetValue(LlamaChatPipeline.StringOf((m as JsonObject)?["tool_call_id"]) ?? "", out var o) ? o : 0;
                var results = toolPositions.Select(p => adjusted[p]).OrderBy(Order).ToList(); // OrderBy is stable
                for (var k = 0; k < toolPositions.Count; k++) adjusted[toolPositions[k]] = results[k];
            }
            i = runEnd;
        }
        return new JsonArray(adjusted.ToArray());
    }

    /// <summary>
    /// Older Gemma 4 templates expect one assistant message carrying tool_calls, tool_responses and
    /// the follow-up content instead of separate tool messages.
    /// </summary>
    public static JsonArray ConvertGemma4ToolResponses(JsonArray messages)
    {
        var result = new JsonArray();
        var i = 0;
        while (i < messages.Count)
        {
            var msg = messages[i] as JsonObject;
            if (LlamaChatPipeline.StringOf(msg?["role"]) != "assistant" || msg!["tool_calls"] is not JsonArray { Count: > 0 })
            {
                result.Add(messages[i]?.DeepClone());
                i++;
                continue;
            }

            var toolCalls = new JsonArray();
            var toolResponses = new JsonArray();
            JsonNode? content = null;
            JsonNode? reasoning = null;
            if (LlamaChatPipeline.StringOf(msg["reasoning_content"]) is { } rc) reasoning = rc;
            foreach (var tc in (JsonArray)msg["tool_calls"]!) toolCalls.Add(tc?.DeepClone());
            i++;
            while (i < messages.Count && LlamaChatPipeline.StringOf((messages[i] as JsonObject)?["role"]) == "tool")
            {
                toolResponses.Add(ToolResponse((JsonObject)messages[i]!, toolCalls, toolResponses.Count));
                i++;
            }
            if (i < messages.Count && messages[i] is JsonObject next && LlamaChatPipeline.StringOf(next["role"]) == "assistant"
                && next["tool_calls"] is not JsonArray { Count: > 0 } && HasContent(next))
            {
                content = next["content"]?.DeepClone();
                i++;
            }

            var built = new JsonObject { ["role"] = "assistant", ["tool_calls"] = toolCalls };
            if (toolResponses.Count > 0) built["tool_responses"] = toolResponses;
            if (content is not null) built["content"] = content;
            if (reasoning is not null) built["reasoning_content"] = reasoning;
            result.Add(built);
        }
        return result;
    }

    private static JsonObject ToolResponse(JsonObject toolMsg, JsonArray toolCalls, int index)
    {
        JsonNode? response = null;
        if (toolMsg.TryGetPropertyValue("content", out var content))
        {
            if (LlamaChatPipeline.StringOf(content) is { } text)
            {
                var parsed = NlohmannJson.TryParse(text, out var ok);
                response = ok ? parsed : JsonValue.Create(text);
            }
            else response = content?.DeepClone();
        }
        var name = "";
        if (index < toolCalls.Count && toolCalls[index] is JsonObject tc && tc["function"] is JsonObject fn)
            name = LlamaChatPipeline.StringOf(fn["name"]) ?? "";
        if (name.Length == 0) name = LlamaChatPipeline.StringOf(toolMsg["tool_call_id"]) ?? "";
        return new JsonObject { ["name"] = name, ["response"] = response };
    }

    private static bool HasContent(JsonObject msg) => msg["content"] switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        var c => LlamaChatPipeline.StringOf(c) is { Length: > 0 },
    };
}
