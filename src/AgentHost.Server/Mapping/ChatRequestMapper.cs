using System.Text.Json;
using System.Text.RegularExpressions;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>A chat-completions request turned into what an <see cref="IChatClient"/> takes.</summary>
internal sealed record MappedChatRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage);

/// <summary>
/// OpenAI chat-completions JSON → MEAI messages and options, validating as OpenAI does: every refusal is a 400 (404
/// for an unknown model) naming the offending parameter, e.g. <c>messages[2].role</c>.
/// </summary>
internal static partial class ChatRequestMapper
{
    /// <param name="request">The parsed body.</param>
    /// <param name="modelId">The model serving the request (the endpoint has resolved the requested name to it).</param>
    /// <param name="maxTokensLimit">Largest max_tokens accepted (and the cap when none is asked for).</param>
    /// <param name="defaultMaxTokens">The engine's default when the request sets none.</param>
    public static MappedChatRequest Map(ChatCompletionRequest request, string modelId, int maxTokensLimit, int defaultMaxTokens)
    {
        var stream = request.Stream ?? false;
        if (request.StreamOptions is not null && !stream)
            throw OpenAiRequestException.BadRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", "invalid_value");
        if (request.N is { } n && n != 1)
            throw OpenAiRequestException.BadRequest($"Only n=1 is supported, got {n}.", "n", "invalid_value");
        var topLogprobs = TopLogprobs(request);

        var tools = MapTools(request.Tools);
        var options = new ChatOptions
        {
            ModelId = modelId,
            Temperature = InRange(request.Temperature, 0, 2, "temperature"),
            TopP = InRange(request.TopP, 0, 1, "top_p"),
            TopK = request.TopK is < 0 ? throw OpenAiRequestException.BadRequest($"{request.TopK} is less than the minimum of 0 - 'top_k'", "top_k", "invalid_value") : request.TopK,
            FrequencyPenalty = InRange(request.FrequencyPenalty, -2, 2, "frequency_penalty"),
            PresencePenalty = InRange(request.PresencePenalty, -2, 2, "presence_penalty"),
            Seed = request.Seed,
            MaxOutputTokens = MaxTokens(request, maxTokensLimit, defaultMaxTokens),
            StopSequences = MapStop(request.Stop),
            Tools = tools,
            ToolMode = MapToolChoice(request.ToolChoice, tools),
            AllowMultipleToolCalls = request.ParallelToolCalls,
            ResponseFormat = MapResponseFormat(request.ResponseFormat),
            AdditionalProperties = ReasoningProperties(request),
        };
        if (topLogprobs is { } top) (options.AdditionalProperties ??= [])[AgentHost.Llama.Chat.LlamaChatProperties.TopLogprobs] = top;
        var messages = MapMessages(request.Messages);
        return new MappedChatRequest(messages, options, stream, stream && request.StreamOptions?.IncludeUsage == true);
    }

    /// <summary>chat_template_kwargs, reasoning_effort and reasoning_format, under the names LlamaChatClient reads.</summary>
    private static AdditionalPropertiesDictionary? ReasoningProperties(ChatCompletionRequest request)
    {
        var props = new AdditionalPropertiesDictionary();
        if (request.ChatTemplateKwargs is { } kwargs)
            props["chat_template_kwargs"] = JsonSerializer.SerializeToElement(kwargs);
        if (request.ReasoningEffort is { } effort)
        {
            if (effort is not ("low" or "medium" or "high" or "minimal" or "none"))
                throw OpenAiRequestException.BadRequest($"Invalid value: '{effort}'. Supported values are: 'none', 'minimal', 'low', 'medium' and 'high'.", "reasoning_effort", "invalid_value");
            if (effort == "none") props["enable_thinking"] = false;
            else props["reasoning_effort"] = effort == "minimal" ? "low" : effort;
        }
        if (request.ReasoningFormat is { } format)
        {
            if (format is not ("auto" or "none" or "deepseek" or "deepseek-legacy"))
                throw OpenAiRequestException.BadRequest($"Invalid value: '{format}'. Supported values are: 'auto' and 'none'.", "reasoning_format", "invalid_value");
            props["reasoning_format"] = format;
        }
        foreach (var (budget, name) in new[] { (request.ThinkingBudgetTokens, "thinking_budget_tokens"), (request.ReasoningBudgetTokens, "reasoning_budget_tokens") })
        {
            if (budget is not { } n) continue;
            if (n is < -1 or > ReasoningBudget.MaxTokens)
                throw OpenAiRequestException.BadRequest($"Invalid '{name}': {n}. Expected -1 (unlimited) or a token count between 0 and {ReasoningBudget.MaxTokens}.", name, "invalid_value");
            props[name] = n;
        }
        return props.Count > 0 ? props : null;
    }

    /// <summary>OpenAI's rules: top_logprobs (0..20) only with logprobs: true; null = no probabilities.</summary>
    private static int? TopLogprobs(ChatCompletionRequest request)
    {
        if (request.Logprobs != true)
        {
            if (request.TopLogprobs is not null)
                throw OpenAiRequestException.BadRequest("'top_logprobs' requires 'logprobs' to be true.", "top_logprobs", "invalid_value");
            return null;
        }
        return CheckTopLogprobs(request.TopLogprobs ?? 0, "top_logprobs");
    }

    public static int CheckTopLogprobs(int value, string param)
    {
        if (value < 0) throw OpenAiRequestException.BadRequest($"{value} is less than the minimum of 0 - '{param}'", param, "invalid_value");
        if (value > AgentHost.Llama.Engine.GenerationRequest.MaxTopLogprobs)
            throw OpenAiRequestException.BadRequest($"{value} is greater than the maximum of {AgentHost.Llama.Engine.GenerationRequest.MaxTopLogprobs} - '{param}'", param, "invalid_value");
        return value;
    }

    internal static float? InRange(float? value, float min, float max, string param)
    {
        if (value is not { } v) return null;
        if (float.IsNaN(v) || v < min) throw OpenAiRequestException.BadRequest($"{v} is less than the minimum of {min} - '{param}'", param, "invalid_value");
        if (v > max) throw OpenAiRequestException.BadRequest($"{v} is greater than the maximum of {max} - '{param}'", param, "invalid_value");
        return v;
    }

    private static int MaxTokens(ChatCompletionRequest request, int limit, int defaultMaxTokens)
    {
        var (asked, param) = request.MaxCompletionTokens is { } mct ? (mct, "max_completion_tokens") : request.MaxTokens is { } mt ? (mt, "max_tokens") : ((int?)null, "max_tokens");
        if (asked is not { } value) return Math.Min(limit, defaultMaxTokens);
        if (value < 1) throw OpenAiRequestException.BadRequest($"{value} is less than the minimum of 1 - '{param}'", param, "invalid_value");
        if (value > limit)
            throw OpenAiRequestException.BadRequest($"{param} is too large: {value}. This model supports at most {limit} completion tokens, whereas you provided {value}.", param, "invalid_value");
        return value;
    }

    internal static List<string>? MapStop(JsonElement? stop)
    {
        if (stop is not { } s || s.ValueKind == JsonValueKind.Null) return null;
        if (s.ValueKind == JsonValueKind.String) return [s.GetString()!];
        if (s.ValueKind != JsonValueKind.Array)
            throw OpenAiRequestException.BadRequest("'stop' must be a string or an array of strings.", "stop", "invalid_type");
        var list = new List<string>();
        foreach (var item in s.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw OpenAiRequestException.BadRequest($"stop[{list.Count}] must be a string.", $"stop[{list.Count}]", "invalid_type");
            list.Add(item.GetString()!);
        }
        if (list.Count > 16) throw OpenAiRequestException.BadRequest($"At most 16 stop sequences are accepted, got {list.Count}.", "stop", "invalid_value");
        return list;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();

    private static List<AITool>? MapTools(List<ToolDto?>? tools)
    {
        if (tools is null) return null;
        var list = new List<AITool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i] ?? throw OpenAiRequestException.BadRequest($"tools[{i}] must be an object.", $"tools[{i}]", "invalid_type");
            if (tool.Type != "function")
                throw OpenAiRequestException.BadRequest($"tools[{i}].type must be 'function', got '{tool.Type}'.", $"tools[{i}].type", "invalid_value");
            var function = tool.Function ?? throw OpenAiRequestException.BadRequest($"Missing required parameter: 'tools[{i}].function'.", $"tools[{i}].function", "missing_required_parameter");
            if (function.Name is not { } name || !FunctionName().IsMatch(name))
                throw OpenAiRequestException.BadRequest($"tools[{i}].function.name must match ^[a-zA-Z0-9_-]{{1,64}}$, got '{function.Name}'.", $"tools[{i}].function.name", "invalid_value");
            if (!names.Add(name))
                throw OpenAiRequestException.BadRequest($"Duplicate tool name '{name}'.", $"tools[{i}].function.name", "invalid_value");
            JsonElement schema;
            if (function.Parameters is { ValueKind: not JsonValueKind.Null } parameters)
            {
                if (parameters.ValueKind != JsonValueKind.Object)
                    throw OpenAiRequestException.BadRequest($"tools[{i}].function.parameters must be a JSON Schema object.", $"tools[{i}].function.parameters", "invalid_type");
                schema = parameters.Clone();
            }
            else
            {
                // OpenAI: omitting parameters defines a function with an empty parameter list.
                schema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
            }
            list.Add(AIFunctionFactory.CreateDeclaration(name, function.Description, schema));
        }
        return list.Count == 0 ? null : list;
    }

    private static ChatToolMode? MapToolChoice(JsonElement? choice, List<AITool>? tools)
    {
        if (choice is not { } c || c.ValueKind == JsonValueKind.Null) return null;
        if (tools is null)
            throw OpenAiRequestException.BadRequest("'tool_choice' is only allowed when 'tools' are specified.", "tool_choice", "invalid_value");
        if (c.ValueKind == JsonValueKind.String)
        {
            return c.GetString() switch
            {
                "none" => ChatToolMode.None,
                "auto" => ChatToolMode.Auto,
                "required" => ChatToolMode.RequireAny,
                var other => throw OpenAiRequestException.BadRequest($"Invalid value for 'tool_choice': '{other}'. Supported values are: 'none', 'auto' and 'required'.", "tool_choice", "invalid_value"),
            };
        }
        if (c.ValueKind == JsonValueKind.Object
            && c.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "function"
            && c.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String)
        {
            var name = nameElement.GetString()!;
            if (!tools.OfType<AIFunctionDeclaration>().Any(t => t.Name == name))
                throw OpenAiRequestException.BadRequest($"tool_choice names the function '{name}', which is not among the tools.", "tool_choice.function.name", "invalid_value");
            return ChatToolMode.RequireSpecific(name);
        }
        throw OpenAiRequestException.BadRequest("'tool_choice' must be 'none', 'auto', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}.", "tool_choice", "invalid_type");
    }

    private static ChatResponseFormat? MapResponseFormat(ResponseFormatDto? format)
    {
        if (format is null) return null;
        switch (format.Type)
        {
            case "text":
                return ChatResponseFormat.Text;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema":
                var spec = format.JsonSchema ?? throw OpenAiRequestException.BadRequest("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter");
                if (spec.Schema is not { ValueKind: JsonValueKind.Object } schema)
                    throw OpenAiRequestException.BadRequest("response_format.json_schema.schema must be a JSON Schema object.", "response_format.json_schema.schema", "invalid_type");
                return ChatResponseFormat.ForJsonSchema(schema.Clone(), spec.Name, spec.Description);
            default:
                throw OpenAiRequestException.BadRequest($"Invalid value for 'response_format.type': '{format.Type}'. Supported values are: 'text', 'json_object' and 'json_schema'.", "response_format.type", "invalid_value");
        }
    }

    private static List<ChatMessage> MapMessages(List<ChatMessageDto?>? messages)
    {
        if (messages is null) throw OpenAiRequestException.BadRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        if (messages.Count == 0) throw OpenAiRequestException.BadRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array");

        var result = new List<ChatMessage>(messages.Count);
        // Tool results must answer a call an earlier assistant message made (OpenAI refuses them otherwise too).
        var calls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages[{i}]";
            var message = messages[i] ?? throw OpenAiRequestException.BadRequest($"{path} must be an object.", path, "invalid_type");
            switch (message.Role)
            {
                case "system" or "developer":
                    result.Add(new ChatMessage(ChatRole.System, RequireText(message.Content, path)) { AuthorName = message.Name });
                    break;
                case "user":
                    result.Add(new ChatMessage(ChatRole.User, RequireText(message.Content, path)) { AuthorName = message.Name });
                    break;
                case "assistant":
                    result.Add(MapAssistant(message, path, calls));
                    break;
                case "tool":
                    if (message.ToolCallId is not { Length: > 0 } callId)
                        throw OpenAiRequestException.BadRequest($"Missing required parameter: '{path}.tool_call_id'.", $"{path}.tool_call_id", "missing_required_parameter");
                    if (!calls.Contains(callId))
                        throw OpenAiRequestException.BadRequest($"Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls'; no earlier call has the id '{callId}'.", $"{path}.tool_call_id", "invalid_value");
                    result.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, RequireText(message.Content, path))]));
                    break;
                case null:
                    throw OpenAiRequestException.BadRequest($"Missing required parameter: '{path}.role'.", $"{path}.role", "missing_required_parameter");
                default:
                    throw OpenAiRequestException.BadRequest($"Invalid value: '{message.Role}'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.", $"{path}.role", "invalid_value");
            }
        }
        return result;
    }

    private static ChatMessage MapAssistant(ChatMessageDto message, string path, HashSet<string> calls)
    {
        var contents = new List<AIContent>();
        var text = OptionalText(message.Content, path);
        if (message.ReasoningContent is { Length: > 0 } reasoning) contents.Add(new TextReasoningContent(reasoning));
        if (text is { Length: > 0 }) contents.Add(new TextContent(text));
        var toolCalls = message.ToolCalls ?? [];
        for (var j = 0; j < toolCalls.Count; j++)
        {
            var callPath = $"{path}.tool_calls[{j}]";
            var call = toolCalls[j] ?? throw OpenAiRequestException.BadRequest($"{callPath} must be an object.", callPath, "invalid_type");
            if (call.Id is not { Length: > 0 } id)
                throw OpenAiRequestException.BadRequest($"Missing required parameter: '{callPath}.id'.", $"{callPath}.id", "missing_required_parameter");
            if (call.Type is not (null or "function"))
                throw OpenAiRequestException.BadRequest($"{callPath}.type must be 'function'.", $"{callPath}.type", "invalid_value");
            if (call.Function?.Name is not { Length: > 0 } name)
                throw OpenAiRequestException.BadRequest($"Missing required parameter: '{callPath}.function.name'.", $"{callPath}.function.name", "missing_required_parameter");
            contents.Add(new FunctionCallContent(id, name, ParseArguments(call.Function.Arguments, $"{callPath}.function.arguments")));
            calls.Add(id);
        }
        if (text is null && contents.Count == 0)
            throw OpenAiRequestException.BadRequest($"{path} must have 'content' or 'tool_calls'.", $"{path}.content", "missing_required_parameter");
        return new ChatMessage(ChatRole.Assistant, contents) { AuthorName = message.Name };
    }

    private static Dictionary<string, object?> ParseArguments(string? json, string path)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw OpenAiRequestException.BadRequest($"{path} must be a JSON object encoded as a string.", path, "invalid_value");
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw OpenAiRequestException.BadRequest($"{path} is not valid JSON: {ex.Message}", path, "invalid_value");
        }
    }

    private static string RequireText(JsonElement? content, string path) =>
        OptionalText(content, path) ?? throw OpenAiRequestException.BadRequest($"Missing required parameter: '{path}.content'.", $"{path}.content", "missing_required_parameter");

    /// <summary>A string, or the concatenated text parts of a content array; null when absent.</summary>
    private static string? OptionalText(JsonElement? content, string path)
    {
        if (content is not { } c || c.ValueKind == JsonValueKind.Null) return null;
        if (c.ValueKind == JsonValueKind.String) return c.GetString();
        if (c.ValueKind != JsonValueKind.Array)
            throw OpenAiRequestException.BadRequest($"{path}.content must be a string or an array of content parts.", $"{path}.content", "invalid_type");
        var text = new System.Text.StringBuilder();
        var k = 0;
        foreach (var part in c.EnumerateArray())
        {
            var partPath = $"{path}.content[{k++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                throw OpenAiRequestException.BadRequest($"{partPath} must be an object with a 'type'.", partPath, "invalid_type");
            if (type.GetString() != "text")
                throw OpenAiRequestException.BadRequest($"{partPath}: content parts of type '{type.GetString()}' are not supported by this text-only model.", $"{partPath}.type", "invalid_value");
            if (!part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                throw OpenAiRequestException.BadRequest($"Missing required parameter: '{partPath}.text'.", $"{partPath}.text", "missing_required_parameter");
            text.Append(partText.GetString());
        }
        return text.ToString();
    }
}
