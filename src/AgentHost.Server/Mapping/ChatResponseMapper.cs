using System.Text.Json;
using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>MEAI responses → OpenAI chat-completion JSON: finish reasons, tool calls (arguments as JSON text), usage with cached tokens.</summary>
internal static class ChatResponseMapper
{
    public static ChatCompletionResponse ToCompletion(ChatResponse response, string modelId)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        var text = response.Text;
        var reasoning = string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        return new ChatCompletionResponse
        {
            Id = response.ResponseId ?? NewId(),
            Created = (response.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            Model = response.ModelId ?? modelId,
            Choices =
            [
                new ChatChoiceDto
                {
                    Index = 0,
                    Message = new AssistantMessageDto
                    {
                        // OpenAI sends null content on a pure tool-call turn.
                        Content = calls.Count > 0 && text.Length == 0 ? null : text,
                        ReasoningContent = reasoning.Length > 0 ? reasoning : null,
                        ToolCalls = calls.Count > 0 ? calls.Select(c => ToToolCall(c, index: null)).ToList() : null,
                    },
                    FinishReason = FinishReason(response.FinishReason, calls.Count > 0),
                },
            ],
            Usage = ToUsage(response.Usage),
        };
    }

    public static ToolCallDto ToToolCall(FunctionCallContent call, int? index) => new()
    {
        Index = index,
        Id = string.IsNullOrEmpty(call.CallId) ? "call_" + Guid.NewGuid().ToString("N")[..24] : call.CallId,
        Type = "function",
        Function = new FunctionCallDto
        {
            Name = call.Name,
            Arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions),
        },
    };

    public static string FinishReason(ChatFinishReason? reason, bool calledTools)
    {
        if (calledTools || reason == ChatFinishReason.ToolCalls) return "tool_calls";
        if (reason == ChatFinishReason.Length) return "length";
        if (reason == ChatFinishReason.ContentFilter) return "content_filter";
        return "stop";
    }

    public static UsageDto? ToUsage(UsageDetails? usage)
    {
        if (usage is null) return null;
        var prompt = (int)(usage.InputTokenCount ?? 0);
        var completion = (int)(usage.OutputTokenCount ?? 0);
        // LlamaChatClient reports cached prompt tokens as an additional count; MEAI also has a property for it.
        long cached = usage.CachedInputTokenCount ?? 0;
        if (cached == 0 && usage.AdditionalCounts?.TryGetValue("CachedInputTokens", out var extra) == true) cached = extra;
        return new UsageDto
        {
            PromptTokens = prompt,
            CompletionTokens = completion,
            TotalTokens = (int)(usage.TotalTokenCount ?? prompt + completion),
            PromptTokensDetails = new PromptTokensDetailsDto { CachedTokens = (int)cached },
        };
    }

    public static string NewId() => "chatcmpl-" + Guid.NewGuid().ToString("N");
}
