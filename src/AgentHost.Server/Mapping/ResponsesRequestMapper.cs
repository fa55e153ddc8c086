using System.Text.Json;
using System.Text.RegularExpressions;
using AgentHost.Server.Errors;
using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>An mcp_approval_response input item, resolved against the pending requests by the endpoint.</summary>
internal sealed record ApprovalAnswer(int Index, string RequestId, bool Approve, string? Reason);

/// <summary>A Responses request turned into what an agent run takes.</summary>
internal sealed record MappedResponsesRequest(
    IReadOnlyList<ChatMessage> Messages,
    IReadOnlyList<ApprovalAnswer> Approvals,
    IReadOnlyList<(int Index, string CallId)> ToolOutputs,
    IReadOnlyList<string> InputCallIds,
    IReadOnlyList<ResponseItem> InputItems,
    ChatOptions Options,
    List<ResponseToolOut> Tools,
    JsonElement ToolChoice,
    ResponseTextFormatOut TextFormat);

/// <summary>
/// OpenAI Responses request JSON → MEAI messages and options, refusing bad input as OpenAI does: a 400 naming the
/// parameter (<c>input[2].call_id</c>, <c>tools[0].type</c>, <c>max_output_tokens</c>, ...).
/// </summary>
internal static partial class ResponsesRequestMapper
{
    private static readonly JsonElement Auto = JsonDocument.Parse("\"auto\"").RootElement.Clone();
    private static readonly JsonElement EmptyObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    /// <param name="request">The parsed body.</param>
    /// <param name="maxTokensLimit">Largest max_output_tokens accepted.</param>
    /// <param name="defaultMaxTokens">The cap when none is asked for (null: the agent's own setting).</param>
    /// <param name="maxInputItems">Most input items accepted.</param>
    public static MappedResponsesRequest Map(CreateResponseRequest request, int maxTokensLimit, int? defaultMaxTokens, int maxInputItems)
    {
        if (request.Background == true)
            throw OpenAiRequestException.BadRequest("Background responses are not supported; leave 'background' unset or false.", "background", "invalid_value");
        if (request.Truncation is not (null or "disabled" or "auto"))
            throw OpenAiRequestException.BadRequest($"Invalid value for 'truncation': '{request.Truncation}'. Supported values are: 'auto' and 'disabled'.", "truncation", "invalid_value");
        var (tools, toolsOut) = MapTools(request.Tools);
        var (format, formatOut) = MapTextFormat(request.Text?.Format);
        var options = new ChatOptions
        {
            Instructions = string.IsNullOrWhiteSpace(request.Instructions) ? null : request.Instructions,
            Temperature = ChatRequestMapper.InRange(request.Temperature, 0, 2, "temperature"),
            TopP = ChatRequestMapper.InRange(request.TopP, 0, 1, "top_p"),
            MaxOutputTokens = MaxTokens(request.MaxOutputTokens, maxTokensLimit) ?? defaultMaxTokens,
            Tools = tools,
            ToolMode = MapToolChoice(request.ToolChoice, tools),
            AllowMultipleToolCalls = request.ParallelToolCalls,
            ResponseFormat = format,
            AdditionalProperties = Reasoning(request.Reasoning),
        };
        var input = MapInput(request.Input, maxInputItems);
        return new MappedResponsesRequest(input.Messages, input.Approvals, input.ToolOutputs, input.Calls, input.Items, options, toolsOut,
            request.ToolChoice is { ValueKind: not JsonValueKind.Null } c ? c.Clone() : Auto, formatOut);
    }

    private static int? MaxTokens(int? asked, int limit)
    {
        if (asked is not { } value) return null;
        if (value < 1) throw OpenAiRequestException.BadRequest($"{value} is less than the minimum of 1 - 'max_output_tokens'", "max_output_tokens", "invalid_value");
        if (value > limit)
            throw OpenAiRequestException.BadRequest($"max_output_tokens is too large: {value}. This model supports at most {limit} output tokens.", "max_output_tokens", "invalid_value");
        return value;
    }

    /// <summary>reasoning.effort under the names LlamaChatClient reads (as the chat endpoint's reasoning_effort).</summary>
    private static AdditionalPropertiesDictionary? Reasoning(ResponseReasoningDto? reasoning)
    {
        if (reasoning?.Effort is not { } effort) return null;
        var props = new AdditionalPropertiesDictionary();
        switch (effort)
        {
            case "none":
                props["enable_thinking"] = false;
                break;
            case "minimal" or "low" or "medium" or "high":
                props["reasoning_effort"] = effort == "minimal" ? "low" : effort;
                break;
            default:
                throw OpenAiRequestException.BadRequest($"Invalid value: '{effort}'. Supported values are: 'none', 'minimal', 'low', 'medium' and 'high'.", "reasoning.effort", "invalid_value");
        }
        return props;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();

    private static (List<AITool>?, List<ResponseToolOut>) MapTools(List<ResponseToolDto?>? tools)
    {
        var output = new List<ResponseToolOut>();
        if (tools is null || tools.Count == 0) return (null, output);
        var list = new List<AITool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i] ?? throw OpenAiRequestException.BadRequest($"tools[{i}] must be an object.", $"tools[{i}]", "invalid_type");
            if (tool.Type != "function")
                throw OpenAiRequestException.BadRequest($"tools[{i}].type: only 'function' tools are served here, got '{tool.Type}'.", $"tools[{i}].type", "invalid_value");
            if (tool.Name is not { } name || !FunctionName().IsMatch(name))
                throw OpenAiRequestException.BadRequest($"tools[{i}].name must match ^[a-zA-Z0-9_-]{{1,64}}$, got '{tool.Name}'.", $"tools[{i}].name", "invalid_value");
            if (!names.Add(name))
                throw OpenAiRequestException.BadRequest($"Duplicate tool name '{name}'.", $"tools[{i}].name", "invalid_value");
            var schema = EmptyObjectSchema;
            if (tool.Parameters is { ValueKind: not JsonValueKind.Null } parameters)
            {
                if (parameters.ValueKind != JsonValueKind.Object)
                    throw OpenAiRequestException.BadRequest($"tools[{i}].parameters must be a JSON Schema object.", $"tools[{i}].parameters", "invalid_type");
                schema = parameters.Clone();
            }
            list.Add(AIFunctionFactory.CreateDeclaration(name, tool.Description, schema));
            output.Add(new ResponseToolOut { Name = name, Description = tool.Description, Parameters = schema, Strict = tool.Strict ?? true });
        }
        return (list, output);
    }

    private static ChatToolMode? MapToolChoice(JsonElement? choice, List<AITool>? tools)
    {
        if (choice is not { } c || c.ValueKind == JsonValueKind.Null) return null;
        if (c.ValueKind == JsonValueKind.String)
        {
            return c.GetString() switch
            {
                "none" => ChatToolMode.None,
                "auto" => tools is null ? null : ChatToolMode.Auto,
                "required" when tools is null => throw OpenAiRequestException.BadRequest("tool_choice 'required' needs at least one tool in 'tools'.", "tool_choice", "invalid_value"),
                "required" => ChatToolMode.RequireAny,
                var other => throw OpenAiRequestException.BadRequest($"Invalid value for 'tool_choice': '{other}'. Supported values are: 'none', 'auto' and 'required'.", "tool_choice", "invalid_value"),
            };
        }
        if (c.ValueKind == JsonValueKind.Object && c.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "function"
            && c.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String)
        {
            var name = nameElement.GetString()!;
            if (tools is null || !tools.OfType<AIFunctionDeclaration>().Any(t => t.Name == name))
                throw OpenAiRequestException.BadRequest($"tool_choice names the function '{name}', which is not among the tools.", "tool_choice.name", "invalid_value");
            return ChatToolMode.RequireSpecific(name);
        }
        throw OpenAiRequestException.BadRequest("'tool_choice' must be 'none', 'auto', 'required' or {\"type\":\"function\",\"name\":...}.", "tool_choice", "invalid_type");
    }

    private static (ChatResponseFormat?, ResponseTextFormatOut) MapTextFormat(ResponseTextFormatDto? format)
    {
        if (format is null) return (null, new ResponseTextFormatOut { Type = "text" });
        switch (format.Type)
        {
            case "text":
                return (null, new ResponseTextFormatOut { Type = "text" });
            case "json_object":
                return (ChatResponseFormat.Json, new ResponseTextFormatOut { Type = "json_object" });
            case "json_schema":
                if (format.Schema is not { ValueKind: JsonValueKind.Object } schema)
                    throw OpenAiRequestException.BadRequest("text.format.schema must be a JSON Schema object.", "text.format.schema", format.Schema is null ? "missing_required_parameter" : "invalid_type");
                if (format.Name is not { } name || !FunctionName().IsMatch(name))
                    throw OpenAiRequestException.BadRequest($"text.format.name must match ^[a-zA-Z0-9_-]{{1,64}}$, got '{format.Name}'.", "text.format.name", "invalid_value");
                // Strict or not, the reply is grammar-constrained to the schema.
                return (ChatResponseFormat.ForJsonSchema(schema.Clone(), name, format.Description),
                    new ResponseTextFormatOut { Type = "json_schema", Name = name, Description = format.Description, Schema = schema.Clone(), Strict = format.Strict ?? false });
            default:
                throw OpenAiRequestException.BadRequest($"Invalid value for 'text.format.type': '{format.Type}'. Supported values are: 'text', 'json_object' and 'json_schema'.", "text.format.type", "invalid_value");
        }
    }

    private sealed record MappedInput(List<ChatMessage> Messages, List<ApprovalAnswer> Approvals, List<(int, string)> ToolOutputs, List<string> Calls, List<ResponseItem> Items);

    private static MappedInput MapInput(JsonElement? input, int maxItems)
    {
        var result = new MappedInput([], [], [], [], []);
        if (input is not { } value || value.ValueKind == JsonValueKind.Null)
            throw OpenAiRequestException.BadRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter");
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (text.Length == 0) throw OpenAiRequestException.BadRequest("Invalid 'input': empty string. Expected a non-empty string or an array of input items.", "input", "empty_string");
            result.Messages.Add(new ChatMessage(ChatRole.User, text));
            result.Items.Add(new MessageItem { Id = ResponsesOutputMapper.NewId("msg"), Role = "user", Content = [ContentPart.Input(text)] });
            return result;
        }
        if (value.ValueKind != JsonValueKind.Array)
            throw OpenAiRequestException.BadRequest("'input' must be a string or an array of input items.", "input", "invalid_type");
        var count = value.GetArrayLength();
        if (count == 0) throw OpenAiRequestException.BadRequest("Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.", "input", "empty_array");
        if (count > maxItems) throw OpenAiRequestException.BadRequest($"Invalid 'input': {count} items; at most {maxItems} are accepted.", "input", "array_above_max_length");

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"input[{i}]";
            if (item.ValueKind != JsonValueKind.Object) throw OpenAiRequestException.BadRequest($"{path} must be an object.", path, "invalid_type");
            var type = OptionalString(item, "type", path);
            switch (type)
            {
                case null or "message":
                    MapMessage(item, path, result);
                    break;
                case "function_call_output":
                {
                    var callId = RequiredString(item, "call_id", path);
                    var output = item.TryGetProperty("output", out var o) ? TextOf(o, $"{path}.output") : throw Missing($"{path}.output");
                    result.Messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, output)]));
                    result.ToolOutputs.Add((i, callId));
                    result.Items.Add(new FunctionCallOutputItem { Id = ResponsesOutputMapper.NewId("fco"), CallId = callId, Output = output });
                    break;
                }
                case "function_call":
                {
                    var callId = RequiredString(item, "call_id", path);
                    var name = RequiredString(item, "name", path);
                    var arguments = OptionalString(item, "arguments", path) ?? "{}";
                    result.Messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId, name, ParseArguments(arguments, $"{path}.arguments"))]));
                    result.Calls.Add(callId);
                    result.Items.Add(new FunctionCallItem { Id = OptionalString(item, "id", path) ?? ResponsesOutputMapper.NewId("fc"), CallId = callId, Name = name, Arguments = arguments });
                    break;
                }
                case "mcp_approval_response":
                {
                    var requestId = RequiredString(item, "approval_request_id", path);
                    if (!item.TryGetProperty("approve", out var approve) || approve.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        throw OpenAiRequestException.BadRequest($"Missing required parameter: '{path}.approve' (true or false).", $"{path}.approve", "missing_required_parameter");
                    var reason = OptionalString(item, "reason", path);
                    result.Approvals.Add(new ApprovalAnswer(i, requestId, approve.GetBoolean(), reason));
                    result.Items.Add(new McpApprovalResponseItem { Id = ResponsesOutputMapper.NewId("mcpr"), ApprovalRequestId = requestId, Approve = approve.GetBoolean(), Reason = reason });
                    break;
                }
                case "reasoning":
                    // A reasoning item echoed back: the model does not see its own earlier reasoning again.
                    break;
                default:
                    throw OpenAiRequestException.BadRequest($"{path}.type: input items of type '{type}' are not supported; use message, function_call, function_call_output or mcp_approval_response.", $"{path}.type", "invalid_value");
            }
            i++;
        }
        return result;
    }

    private static void MapMessage(JsonElement item, string path, MappedInput result)
    {
        var role = RequiredString(item, "role", path);
        if (!item.TryGetProperty("content", out var content)) throw Missing($"{path}.content");
        var text = TextOf(content, $"{path}.content");
        var chatRole = role switch
        {
            "user" => ChatRole.User,
            "system" or "developer" => ChatRole.System,
            "assistant" => ChatRole.Assistant,
            _ => throw OpenAiRequestException.BadRequest($"Invalid value: '{role}'. Supported values are: 'user', 'assistant', 'system' and 'developer'.", $"{path}.role", "invalid_value"),
        };
        result.Messages.Add(new ChatMessage(chatRole, text));
        result.Items.Add(new MessageItem
        {
            Id = OptionalString(item, "id", path) ?? ResponsesOutputMapper.NewId("msg"),
            Role = role,
            Content = [role == "assistant" ? ContentPart.Output(text) : ContentPart.Input(text)],
        });
    }

    /// <summary>A string, or the text of an array of input_text / output_text parts.</summary>
    private static string TextOf(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            throw OpenAiRequestException.BadRequest($"{path} must be a string or an array of content parts.", path, "invalid_type");
        var text = new System.Text.StringBuilder();
        var k = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{k++}]";
            if (part.ValueKind != JsonValueKind.Object) throw OpenAiRequestException.BadRequest($"{partPath} must be an object.", partPath, "invalid_type");
            var type = OptionalString(part, "type", partPath);
            if (type is not ("input_text" or "output_text" or "text"))
                throw OpenAiRequestException.BadRequest($"{partPath}.type: content parts of type '{type}' are not supported by this text-only model.", $"{partPath}.type", "invalid_value");
            text.Append(RequiredString(part, "text", partPath));
        }
        return text.ToString();
    }

    private static string RequiredString(JsonElement item, string name, string path) =>
        OptionalString(item, name, path) ?? throw Missing($"{path}.{name}");

    private static string? OptionalString(JsonElement item, string name, string path)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw OpenAiRequestException.BadRequest($"{path}.{name} must be a string.", $"{path}.{name}", "invalid_type");
    }

    private static OpenAiRequestException Missing(string param) =>
        OpenAiRequestException.BadRequest($"Missing required parameter: '{param}'.", param, "missing_required_parameter");

    private static Dictionary<string, object?> ParseArguments(string json, string path)
    {
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
}
