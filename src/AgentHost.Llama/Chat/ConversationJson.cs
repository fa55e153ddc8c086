using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Grammar;
using AgentHost.Llama.Engine;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentHost.Llama.Chat;

/// <summary>
/// MEAI messages as the OpenAI-style JSON chat templates expect (role, content, tool_calls with arguments as
/// objects, tool_call_id on tool results), and the tools as OpenAI function declarations. Tool results must answer a
/// call the conversation made. Images, audio, PDFs and other files are left out, as MEAI's own clients leave out
/// content their service cannot take, and the optional logger warns naming each such content.
/// </summary>
public static class ConversationJson
{
    public static JsonArray Messages(IReadOnlyList<ChatMessage> messages, ILogger? logger = null)
    {
        WarnAboutUnreadableContent(messages, logger);
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

    /// <summary>One warning per conversation listing the non-text content a text-only model cannot be shown.</summary>
    private static void WarnAboutUnreadableContent(IReadOnlyList<ChatMessage> messages, ILogger? logger)
    {
        if (logger is null || !logger.IsEnabled(LogLevel.Warning)) return;
        var unreadable = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            foreach (var content in messages[i].Contents)
            {
                var what = content switch
                {
                    DataContent d => $"{nameof(DataContent)} '{d.MediaType}'",
                    UriContent u => $"{nameof(UriContent)} '{u.MediaType}'",
                    HostedFileContent f => $"{nameof(HostedFileContent)} '{f.FileId}'",
                    _ => null,
                };
                if (what is not null) unreadable.Add($"{what} in message {i} ({messages[i].Role})");
            }
        }
        if (unreadable.Count > 0)
            logger.LogWarning("This model reads text only; left out of the prompt: {Contents}", string.Join(", ", unreadable));
    }

    public static JsonArray Tools(IReadOnlyList<ToolDefinition> tools) => new(tools.Select(t =>
    {
        var function = new JsonObject { ["name"] = t.Name };
        // OpenAI's description is optional: absent, not null (templates reject a null description).
        if (t.Description is not null) function["description"] = t.Description;
        function["parameters"] = t.Parameters.DeepClone();
        return (JsonNode)new JsonObject { ["type"] = "function", ["function"] = function };
    }).ToArray());

    public static string ResultText(object? result) => result switch
    {
        null => "",
        string s => s,
        JsonElement e when e.ValueKind == JsonValueKind.String => e.GetString()!,
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions),
    };
}
