using System.Text.Json;
using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>MEAI responses → Anthropic Message objects: thinking, text and tool_use blocks in order, stop reasons, usage with cache reads.</summary>
internal static class AnthropicResponseMapper
{
    public static AnthropicMessage ToMessage(ChatResponse response, string modelId)
    {
        var blocks = new List<AnthropicContentBlock>();
        foreach (var content in response.Messages.SelectMany(m => m.Contents))
        {
            switch (content)
            {
                case TextReasoningContent reasoning when reasoning.Text.Length > 0:
                    // Consecutive reasoning pieces (one per update) are one thinking block.
                    if (blocks.Count > 0 && blocks[^1].Type == "thinking") blocks[^1] = AnthropicContentBlock.ForThinking(blocks[^1].Thinking + reasoning.Text, reasoning.ProtectedData ?? blocks[^1].Signature);
                    else blocks.Add(AnthropicContentBlock.ForThinking(reasoning.Text, reasoning.ProtectedData));
                    break;
                case TextContent text when text.Text.Length > 0:
                    if (blocks.Count > 0 && blocks[^1].Type == "text") blocks[^1] = AnthropicContentBlock.ForText(blocks[^1].Text + text.Text);
                    else blocks.Add(AnthropicContentBlock.ForText(text.Text));
                    break;
                case FunctionCallContent call:
                    blocks.Add(AnthropicContentBlock.ForToolUse(ToolUseId(call), call.Name, Input(call)));
                    break;
            }
        }
        var calledTools = blocks.Any(b => b.Type == "tool_use");
        return new AnthropicMessage
        {
            Id = NewId(response.ResponseId),
            Model = response.ModelId ?? modelId,
            Content = blocks,
            StopReason = StopReason(response.FinishReason, calledTools),
            Usage = ToUsage(response.Usage),
        };
    }

    /// <summary>Anthropic's ids start with msg_; the chat client's own id is kept after the prefix.</summary>
    public static string NewId(string? responseId) =>
        "msg_" + (string.IsNullOrEmpty(responseId) ? Guid.NewGuid().ToString("N") : responseId.Replace("chatcmpl-", "", StringComparison.Ordinal));

    public static string ToolUseId(FunctionCallContent call) =>
        string.IsNullOrEmpty(call.CallId) ? "toolu_" + Guid.NewGuid().ToString("N")[..24] : call.CallId;

    public static JsonElement Input(FunctionCallContent call) =>
        JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);

    /// <summary>
    /// end_turn, max_tokens or tool_use. The engine reports an end-of-generation token and a matched stop sequence
    /// alike, so a stop sequence is reported as end_turn.
    /// </summary>
    public static string StopReason(ChatFinishReason? reason, bool calledTools)
    {
        if (calledTools || reason == ChatFinishReason.ToolCalls) return "tool_use";
        if (reason == ChatFinishReason.Length) return "max_tokens";
        if (reason == ChatFinishReason.ContentFilter) return "refusal";
        return "end_turn";
    }

    public static AnthropicUsage ToUsage(UsageDetails? usage)
    {
        var openAi = ChatResponseMapper.ToUsage(usage);
        return new AnthropicUsage
        {
            InputTokens = openAi?.PromptTokens ?? 0,
            OutputTokens = openAi?.CompletionTokens ?? 0,
            CacheReadInputTokens = openAi?.PromptTokensDetails?.CachedTokens ?? 0,
            CacheCreationInputTokens = 0,
        };
    }
}
