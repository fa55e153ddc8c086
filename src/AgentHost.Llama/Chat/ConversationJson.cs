using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Grammar;
using AgentHost.Llama.Engine;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

/// <summary>
/// MEAI messages as the OpenAI-style JSON chat templates expect (role, content, tool_calls with arguments as
/// objects, tool_call_id on tool results), and the tools as OpenAI function declarations. Tool results must answer a
/// call the conversation made.
/// </summary>
public static class ConversationJson
{
    public static JsonArray Messages(IReadOnlyList<ChatMessage> messages)
    {
        var knownCalls = new Dictionary<string, string>(StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var message in messages)
        {
            var calls = message.Contents.OfType<FunctionCallContent>().ToList();
            var results = message.Contents.OfType<FunctionResultContent>().ToList();
            if (results.Count > 0)
            {
                // One tool message per result, as OpenAI does.
                foreach (var result in results)
                {
                    if (!knownCalls.TryGetValue(result.CallId, out var name))
                        throw new InvalidGenerationRequestException("messages", $"a tool result answers call id '{result.CallId}', but no earlier assistant message made that call");
                    array.Add(new JsonObject
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = result.CallId,
                        ["name"] = name,
                        ["content"] = ResultText(result.Result),
                    });
                }
                continue;
            }
            var obj = new JsonObject
            {
                ["role"] = message.Role.Value,
                ["content"] = message.Text,
            };
            // Earlier thinking goes back to the template, which keeps or drops it by its own rule.
            var reasoning = string.Concat(message.Contents.OfType<TextReasoningContent>().Select(r => r.Text));
            if (reasoning.Length > 0) obj["reasoning_content"] = reasoning;
            if (calls.Count > 0)
            {
                var toolCalls = new JsonArray();
                foreach (var call in calls)
                {
                    knownCalls[call.CallId] = call.Name;
                    toolCalls.Add(new JsonObject
                    {
                        ["id"] = call.CallId,
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = call.Name,
                            // OpenAI's wire form: arguments as a JSON string (the template pipeline parses it).
                            ["arguments"] = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions),
                        },
                    });
                }
                obj["tool_calls"] = toolCalls;
            }
            array.Add(obj);
        }
        return array;
    }

    public static JsonArray Tools(IReadOnlyList<ToolDefinition> tools) => new(tools.Select(t => (JsonNode)new JsonObject
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = t.Name,
            ["description"] = t.Description,
            ["parameters"] = t.Parameters.DeepClone(),
        },
    }).ToArray());

    public static string ResultText(object? result) => result switch
    {
        null => "",
        string s => s,
        JsonElement e when e.ValueKind == JsonValueKind.String => e.GetString()!,
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions),
    };
}
