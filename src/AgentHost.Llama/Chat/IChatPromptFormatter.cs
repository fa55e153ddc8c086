using AgentHost.Grammar;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

/// <summary>A rendered conversation, ready to tokenize.</summary>
/// <param name="Text">The prompt text (special tokens as text).</param>
/// <param name="AddSpecialTokens">Whether tokenization should still add BOS (false when the template wrote it).</param>
public sealed record ChatPrompt(string Text, bool AddSpecialTokens)
{
    /// <summary>
    /// What the template appended to open the reply (<c>add_generation_prompt</c>), e.g.
    /// <c>&lt;|im_start|&gt;assistant\n&lt;think&gt;\n</c>; the reply is parsed as its continuation. Empty when unknown.
    /// </summary>
    public string GenerationPrompt { get; init; } = "";
}

/// <summary>Turns MEAI messages (and declared tools) into the model's prompt format.</summary>
public interface IChatPromptFormatter
{
    /// <summary>Name of the template in use (for logs and metadata).</summary>
    string TemplateName { get; }

    /// <summary>The template's source text when known (tool-call format detection reads it).</summary>
    string? TemplateSource { get; }

    /// <summary>Whether the template itself renders tool declarations, tool calls and tool results.</summary>
    bool RendersTools { get; }

    /// <param name="templateKwargs">Template variables (llama-server's chat_template_kwargs: enable_thinking, reasoning_effort, ...).</param>
    ChatPrompt Format(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?>? templateKwargs = null);
}
