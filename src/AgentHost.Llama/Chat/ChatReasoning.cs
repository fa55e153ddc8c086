using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.ChatFormats;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

/// <summary>
/// A request's thinking settings, from <see cref="ChatOptions"/> over the configured defaults:
/// <c>ChatOptions.Reasoning</c> (effort None turns thinking off), and the llama-server names in
/// <see cref="ChatOptions.AdditionalProperties"/>: <c>enable_thinking</c> (bool), <c>reasoning_effort</c>
/// (low|medium|high), <c>reasoning_format</c> (auto|none), <c>reasoning_budget_tokens</c> or
/// <c>thinking_budget_tokens</c> (an int; -1 unlimited) and <c>chat_template_kwargs</c> (a dictionary passed to the template).
/// </summary>
public sealed record ChatReasoning(bool EnableThinking, string? Effort, ReasoningFormat Format, IReadOnlyDictionary<string, JsonNode?> TemplateKwargs, int BudgetTokens = -1)
{
    public const string ReasoningBudgetKey = "reasoning_budget_tokens";
    public const string ThinkingBudgetKey = "thinking_budget_tokens";
    public const string EnableThinkingKey = "enable_thinking";
    public const string ReasoningEffortKey = "reasoning_effort";
    public const string ReasoningFormatKey = "reasoning_format";
    public const string TemplateKwargsKey = "chat_template_kwargs";

    public static ChatReasoning From(ChatOptions? options, ReasoningDefaults defaults)
    {
        var enable = defaults.EnableThinking;
        var effort = defaults.Effort;
        var format = ParseFormat(defaults.Format, "Llama:Reasoning:Format");
        var budget = defaults.BudgetTokens;
        var kwargs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (options?.Reasoning is { } r)
        {
            switch (r.Effort)
            {
                case ReasoningEffort.None: enable = false; break;
                case ReasoningEffort.Low: effort = "low"; enable = true; break;
                case ReasoningEffort.Medium: effort = "medium"; enable = true; break;
                case ReasoningEffort.High or ReasoningEffort.ExtraHigh: effort = "high"; enable = true; break;
            }
        }
        var props = options?.AdditionalProperties;
        if (props is not null)
        {
            if (props.TryGetValue(TemplateKwargsKey, out var kw) && kw is not null)
            {
                if (ToNode(kw) is not JsonObject obj)
                    throw new InvalidGenerationRequestException(TemplateKwargsKey, "must be an object of template variables");
                foreach (var (k, v) in obj) kwargs[k] = v?.DeepClone();
            }
            if (kwargs.TryGetValue(EnableThinkingKey, out var kwEnable) && kwEnable is JsonValue ev && ev.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                enable = ev.GetValueKind() == JsonValueKind.True;
            if (props.TryGetValue(EnableThinkingKey, out var e) && e is not null) enable = ToBool(e, EnableThinkingKey);
            if (props.TryGetValue(ReasoningEffortKey, out var ef) && ef is not null) effort = ToEffort(ef);
            if (props.TryGetValue(ReasoningFormatKey, out var f) && f is not null) format = ParseFormat(ToText(f, ReasoningFormatKey), ReasoningFormatKey);
            foreach (var key in (ReadOnlySpan<string>)[ThinkingBudgetKey, ReasoningBudgetKey])
                if (props.TryGetValue(key, out var b) && b is not null) budget = ToBudget(b, key);
        }
        kwargs[EnableThinkingKey] = enable;
        if (effort is not null) kwargs[ReasoningEffortKey] = effort;
        return new ChatReasoning(enable, effort, format, kwargs, budget);
    }

    private static int ToBudget(object value, string key) => ToNode(value) is JsonValue v && v.TryGetValue<int>(out var n) && n is >= -1 and <= ReasoningBudget.MaxTokens
        ? n
        : throw new InvalidGenerationRequestException(key, $"must be -1 (unlimited) or a token count between 0 and {ReasoningBudget.MaxTokens}");

    private static ReasoningFormat ParseFormat(string value, string key) => value.ToLowerInvariant() switch
    {
        "auto" or "deepseek" or "deepseek-legacy" => ReasoningFormat.Auto,
        "none" => ReasoningFormat.None,
        _ => throw new InvalidGenerationRequestException(key, $"'{value}' is not a reasoning format (auto or none)"),
    };

    private static string ToEffort(object value)
    {
        var s = ToText(value, ReasoningEffortKey).ToLowerInvariant();
        return s is "low" or "medium" or "high" ? s
            : throw new InvalidGenerationRequestException(ReasoningEffortKey, $"'{s}' is not a reasoning effort (low, medium or high)");
    }

    private static JsonNode? ToNode(object value) => value switch
    {
        JsonNode n => n,
        JsonElement e => JsonNode.Parse(e.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions),
    };

    private static bool ToBool(object value, string key) => ToNode(value) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        _ => throw new InvalidGenerationRequestException(key, "must be true or false"),
    };

    private static string ToText(object value, string key) => ToNode(value) is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? v.GetValue<string>()
        : throw new InvalidGenerationRequestException(key, "must be a string");
}
