using AgentHost.Grammar;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

/// <summary>A rendered conversation, ready to tokenize.</summary>
/// <param name="Text">The prompt text (special tokens as text).</param>
/// <param name="AddSpecialTokens">Whether tokenization should still add BOS (false when the template wrote it).</param>
public sealed record ChatPrompt(string Text, bool AddSpecialTokens);

/// <summary>Turns MEAI messages (and declared tools) into the model's prompt format.</summary>
public interface IChatPromptFormatter
{
    /// <summary>Name of the template in use (for logs and metadata).</summary>
    string TemplateName { get; }

    /// <summary>The template's source text when known (tool-call format detection reads it).</summary>
    string? TemplateSource { get; }

    /// <summary>Whether the template itself renders tool declarations, tool calls and tool results.</summary>
    bool RendersTools { get; }

    ChatPrompt Format(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools);
}
