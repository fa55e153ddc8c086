using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentHost.Server.Errors;
using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>
/// Anthropic Messages JSON → MEAI messages and options, validating as Anthropic does. Every refusal is a 400
/// (404 for an unknown model) whose message starts with the field in Anthropic's dotted form
/// (<c>messages.1.content.0.tool_use_id: ...</c>); the param carries the same path.
/// </summary>
internal static partial class AnthropicRequestMapper
{
    /// <summary>Keys of <see cref="ChatOptions.AdditionalProperties"/> that carry the thinking switch and budget to the chat client.</summary>
    public const string EnableThinkingKey = "enable_thinking";
    public const string ThinkingBudgetKey = "thinking_budget_tokens";

    /// <summary>Anthropic's smallest thinking budget.</summary>
    public const int MinThinkingBudget = 1024;

    /// <param name="request">The parsed body.</param>
    /// <param name="modelId">The one model this server serves.</param>
    /// <param name="maxTokensLimit">Largest max_tokens accepted.</param>
    /// <param name="countOnly">count_tokens: max_tokens is not required, and nothing about sampling is checked.</param>
    public static MappedChatRequest Map(AnthropicMessagesRequest request, string modelId, int maxTokensLimit, bool countOnly = false)
    {
        if (request.Model is { Length: > 0 } model && !string.Equals(model, modelId, StringComparison.Ordinal))
            throw new OpenAiRequestException(404, $"model: The model '{model}' does not exist; this server serves '{modelId}'.", OpenAiRequestException.InvalidRequest, "model", "model_not_found");
        if (!countOnly && string.IsNullOrEmpty(request.Model)) throw Bad("model", "Field required");

        var tools = MapTools(request.Tools);
        var options = new ChatOptions
        {
            ModelId = modelId,
            Tools = tools,
            ToolMode = MapToolChoice(request.ToolChoice, tools, out var allowParallel),
            AllowMultipleToolCalls = allowParallel,
        };
        if (!countOnly)
        {
            options.MaxOutputTokens = MaxTokens(request.MaxTokens, maxTokensLimit);
            options.Temperature = InRange(request.Temperature, 0, 1, "temperature");
            options.TopP = InRange(request.TopP, 0, 1, "top_p");
            options.TopK = request.TopK is < 0 ? throw Bad("top_k", $"Input should be greater than or equal to 0, got {request.TopK}") : request.TopK;
            options.StopSequences = MapStop(request.StopSequences);
        }
        MapThinking(request.Thinking, options, countOnly ? null : options.MaxOutputTokens);
        if (request.Metadata?.UserId is { } user) (options.AdditionalProperties ??= [])["user_id"] = user;

        var messages = new List<ChatMessage>();
        if (SystemText(request.System) is { } system) messages.Add(new ChatMessage(ChatRole.System, system));
        messages.AddRange(MapMessages(request.Messages));
        return new MappedChatRequest(messages, options, request.Stream ?? false, IncludeUsage: true);
    }

    /// <summary>A 400 whose message starts with the dotted field, as Anthropic's do.</summary>
    public static OpenAiRequestException Bad(string field, string problem, string code = "invalid_value") =>
        OpenAiRequestException.BadRequest($"{field}: {problem}", field, code);

    private static int MaxTokens(int? asked, int limit)
    {
        if (asked is not { } value) throw Bad("max_tokens", "Field required", "missing_required_parameter");
        if (value < 1) throw Bad("max_tokens", $"Input should be greater than or equal to 1, got {value}");
        if (value > limit) throw Bad("max_tokens", $"{value} > {limit}, which is the maximum allowed number of output tokens for this model");
        return value;
    }

    private static float? InRange(float? value, float min, float max, string field)
    {
        if (value is not { } v) return null;
        if (float.IsNaN(v) || v < min || v > max) throw Bad(field, $"Input should be between {min} and {max}, got {v}");
        return v;
    }

    private static List<string>? MapStop(List<string?>? stops)
    {
        if (stops is null || stops.Count == 0) return null;
        for (var i = 0; i < stops.Count; i++)
        {
            if (string.IsNullOrEmpty(stops[i])) throw Bad($"stop_sequences.{i}", "each stop sequence must be a non-empty string");
        }
        if (stops.Count > 16) throw Bad("stop_sequences", $"at most 16 stop sequences are accepted, got {stops.Count}");
        return stops.Select(s => s!).ToList();
    }

    private static void MapThinking(AnthropicThinkingDto? thinking, ChatOptions options, int? maxTokens)
    {
        if (thinking is null) return;
        var extra = options.AdditionalProperties ??= [];
        switch (thinking.Type)
        {
            case "enabled":
                if (thinking.BudgetTokens is not { } budget) throw Bad("thinking.enabled.budget_tokens", "Field required", "missing_required_parameter");
                if (budget < MinThinkingBudget) throw Bad("thinking.enabled.budget_tokens", $"Input should be greater than or equal to {MinThinkingBudget}, got {budget}");
                if (maxTokens is { } max && budget >= max) throw Bad("thinking.enabled.budget_tokens", $"`max_tokens` must be greater than `thinking.budget_tokens` ({budget}); got max_tokens {max}");
                extra[EnableThinkingKey] = true;
                extra[ThinkingBudgetKey] = budget;
                options.Reasoning = new ReasoningOptions { Effort = EffortFor(budget) };
                break;
            case "adaptive":
                extra[EnableThinkingKey] = true;
                options.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium };
                break;
            case "disabled":
                extra[EnableThinkingKey] = false;
                break;
            default:
                throw Bad("thinking.type", $"Input should be 'enabled', 'disabled' or 'adaptive', got '{thinking.Type}'");
        }
    }

    /// <summary>A token budget as MEAI's coarse effort: Anthropic's minimum is low, a few thousand medium, more high.</summary>
    internal static ReasoningEffort EffortFor(int budget) => budget switch
    {
        < 4096 => ReasoningEffort.Low,
        < 16384 => ReasoningEffort.Medium,
        _ => ReasoningEffort.High,
    };

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,128}$")]
    private static partial Regex ToolName();

    private static List<AITool>? MapTools(List<AnthropicToolDto?>? tools)
    {
        if (tools is null || tools.Count == 0) return null;
        var list = new List<AITool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var path = $"tools.{i}";
            var tool = tools[i] ?? throw Bad(path, "Input should be an object", "invalid_type");
            if (tool.Type is not (null or "custom"))
                throw Bad($"{path}.type", $"server tools ('{tool.Type}') are not available on this server; declare a custom tool with name, description and input_schema");
            if (tool.Name is not { } name || !ToolName().IsMatch(name))
                throw Bad($"{path}.name", $"String should match pattern '^[a-zA-Z0-9_-]{{1,128}}$', got '{tool.Name}'");
            if (!names.Add(name)) throw Bad($"{path}.name", $"Tool names must be unique; '{name}' appears twice");
            if (tool.InputSchema is not { ValueKind: JsonValueKind.Object } schema)
                throw Bad($"{path}.input_schema", "Field required: a JSON Schema object", tool.InputSchema is null ? "missing_required_parameter" : "invalid_type");
            list.Add(AIFunctionFactory.CreateDeclaration(name, tool.Description, schema.Clone()));
        }
        return list;
    }

    private static ChatToolMode? MapToolChoice(AnthropicToolChoiceDto? choice, List<AITool>? tools, out bool? allowParallel)
    {
        allowParallel = choice?.DisableParallelToolUse == true ? false : null;
        if (choice is null) return null;
        switch (choice.Type)
        {
            case "auto":
                return tools is null ? null : ChatToolMode.Auto;
            case "none":
                return tools is null ? null : ChatToolMode.None;
            case "any":
                if (tools is null) throw Bad("tool_choice", "tool_choice 'any' requires tools");
                return ChatToolMode.RequireAny;
            case "tool":
                if (choice.Name is not { Length: > 0 } name) throw Bad("tool_choice.tool.name", "Field required", "missing_required_parameter");
                if (tools is null || !tools.OfType<AIFunctionDeclaration>().Any(t => t.Name == name))
                    throw Bad("tool_choice.tool.name", $"tool_choice names the tool '{name}', which is not among the tools");
                return ChatToolMode.RequireSpecific(name);
            default:
                throw Bad("tool_choice.type", $"Input should be 'auto', 'any', 'tool' or 'none', got '{choice.Type}'");
        }
    }

    private static string? SystemText(JsonElement? system)
    {
        if (system is not { } s || s.ValueKind == JsonValueKind.Null) return null;
        if (s.ValueKind == JsonValueKind.String) return s.GetString() is { Length: > 0 } text ? text : null;
        if (s.ValueKind != JsonValueKind.Array) throw Bad("system", "Input should be a string or an array of text blocks", "invalid_type");
        var parts = new List<string>();
        var i = 0;
        foreach (var block in s.EnumerateArray())
        {
            var path = $"system.{i++}";
            if (BlockType(block, path) != "text") throw Bad($"{path}.type", "system blocks must be of type 'text'");
            parts.Add(RequireString(block, "text", path));
        }
        return parts.Count == 0 ? null : string.Join("\n\n", parts);
    }

    private static List<ChatMessage> MapMessages(List<AnthropicMessageDto?>? messages)
    {
        if (messages is null) throw Bad("messages", "Field required", "missing_required_parameter");
        if (messages.Count == 0) throw Bad("messages", "at least one message is required", "empty_array");

        var result = new List<ChatMessage>();
        // tool_use ids of the previous assistant message: the next message must answer each of them, and only them.
        var pending = new List<string>();
        var pendingAt = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages.{i}";
            var message = messages[i] ?? throw Bad(path, "Input should be an object", "invalid_type");
            var blocks = Blocks(message.Content, path);
            var last = i == messages.Count - 1;
            switch (message.Role)
            {
                case "user":
                    if (blocks.Count == 0) throw Bad(path, "all messages must have non-empty content except for the optional final assistant message");
                    var answered = MapUser(blocks, path, pending, result);
                    var missing = pending.Where(id => !answered.Contains(id)).ToList();
                    if (missing.Count > 0)
                        throw Bad($"messages.{pendingAt}", $"`tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", missing)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
                    pending.Clear();
                    break;
                case "assistant":
                    if (pending.Count > 0)
                        throw Bad($"messages.{pendingAt}", $"`tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", pending)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
                    if (blocks.Count == 0 && !last) throw Bad(path, "all messages must have non-empty content except for the optional final assistant message");
                    if (blocks.Count > 0) result.Add(MapAssistant(blocks, path, pending));
                    pendingAt = i;
                    break;
                case null:
                    throw Bad($"{path}.role", "Field required", "missing_required_parameter");
                default:
                    throw Bad($"{path}.role", message.Role == "system"
                        ? "Unexpected role \"system\". The Messages API accepts a top-level `system` parameter, not \"system\" as an input message role."
                        : $"Input should be 'user' or 'assistant', got '{message.Role}'");
            }
        }
        return result;
    }

    /// <summary>The content as (path, block) pairs; a string is one text block.</summary>
    private static List<(string Path, JsonElement Block)> Blocks(JsonElement? content, string path)
    {
        if (content is not { } c || c.ValueKind == JsonValueKind.Null) throw Bad($"{path}.content", "Field required", "missing_required_parameter");
        if (c.ValueKind == JsonValueKind.String)
        {
            var text = c.GetString()!;
            return text.Length == 0 ? [] : [($"{path}.content", JsonSerializer.SerializeToElement(new { type = "text", text }))];
        }
        if (c.ValueKind != JsonValueKind.Array) throw Bad($"{path}.content", "Input should be a string or an array of content blocks", "invalid_type");
        var list = new List<(string, JsonElement)>();
        var j = 0;
        foreach (var block in c.EnumerateArray()) list.Add(($"{path}.content.{j++}", block));
        return list;
    }

    private static HashSet<string> MapUser(List<(string Path, JsonElement Block)> blocks, string path, List<string> expected, List<ChatMessage> result)
    {
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<AIContent>();
        var contents = new List<AIContent>();
        foreach (var (blockPath, block) in blocks)
        {
            switch (BlockType(block, blockPath))
            {
                case "text":
                    contents.Add(new TextContent(RequireString(block, "text", blockPath)));
                    break;
                case "tool_result":
                    if (contents.Count > 0)
                        throw Bad(blockPath, "`tool_result` blocks must come first in the content of a user message, before any text");
                    var id = RequireString(block, "tool_use_id", blockPath);
                    if (!expected.Contains(id))
                        throw Bad($"{blockPath}.tool_use_id", $"unexpected `tool_use_id` found in `tool_result` blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                    if (!answered.Add(id)) throw Bad($"{blockPath}.tool_use_id", $"the `tool_use` block {id} has more than one `tool_result`");
                    var text = ToolResultText(block, blockPath);
                    var isError = block.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True;
                    // The model reads the result as text; an error result says so, as Anthropic's own rendering does.
                    results.Add(new FunctionResultContent(id, isError ? $"Error: {text}" : text));
                    break;
                case var other:
                    throw Unsupported(blockPath, other, "user");
            }
        }
        if (results.Count > 0) result.Add(new ChatMessage(ChatRole.Tool, results));
        if (contents.Count > 0) result.Add(new ChatMessage(ChatRole.User, contents));
        return answered;
    }

    private static ChatMessage MapAssistant(List<(string Path, JsonElement Block)> blocks, string path, List<string> toolUses)
    {
        var contents = new List<AIContent>();
        foreach (var (blockPath, block) in blocks)
        {
            switch (BlockType(block, blockPath))
            {
                case "text":
                    contents.Add(new TextContent(RequireString(block, "text", blockPath)));
                    break;
                case "thinking":
                    var signature = block.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                    contents.Add(new TextReasoningContent(RequireString(block, "thinking", blockPath)) { ProtectedData = signature });
                    break;
                case "redacted_thinking":
                    // Encrypted reasoning from another provider: nothing a local model can read.
                    break;
                case "tool_use":
                    var id = RequireString(block, "id", blockPath);
                    var name = RequireString(block, "name", blockPath);
                    if (!block.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object)
                        throw Bad($"{blockPath}.input", "Input should be an object", "invalid_type");
                    if (toolUses.Contains(id)) throw Bad($"{blockPath}.id", $"`tool_use` ids must be unique; '{id}' appears twice");
                    contents.Add(new FunctionCallContent(id, name, input.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)));
                    toolUses.Add(id);
                    break;
                case var other:
                    throw Unsupported(blockPath, other, "assistant");
            }
        }
        return new ChatMessage(ChatRole.Assistant, contents);
    }

    private static string ToolResultText(JsonElement block, string path)
    {
        if (!block.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null) return "";
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array) throw Bad($"{path}.content", "Input should be a string or an array of text blocks", "invalid_type");
        var text = new StringBuilder();
        var k = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content.{k++}";
            var type = BlockType(part, partPath);
            if (type != "text") throw Unsupported(partPath, type, "tool_result");
            if (text.Length > 0) text.Append('\n');
            text.Append(RequireString(part, "text", partPath));
        }
        return text.ToString();
    }

    private static string BlockType(JsonElement block, string path)
    {
        if (block.ValueKind != JsonValueKind.Object) throw Bad(path, "Input should be a content block object", "invalid_type");
        if (!block.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            throw Bad($"{path}.type", "Field required", "missing_required_parameter");
        return type.GetString()!;
    }

    private static string RequireString(JsonElement block, string property, string path)
    {
        if (!block.TryGetProperty(property, out var value)) throw Bad($"{path}.{property}", "Field required", "missing_required_parameter");
        if (value.ValueKind != JsonValueKind.String) throw Bad($"{path}.{property}", "Input should be a valid string", "invalid_type");
        return value.GetString()!;
    }

    private static OpenAiRequestException Unsupported(string path, string type, string where) => type switch
    {
        "image" or "document" or "search_result" => Bad($"{path}.type", $"content blocks of type '{type}' are not supported by this text-only model"),
        _ => Bad($"{path}.type", $"content blocks of type '{type}' are not accepted in a {where} message"),
    };
}
