using System.Text.Json.Nodes;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats;

/// <summary>Whether thinking is pulled out of the content.</summary>
public enum ReasoningFormat
{
    /// <summary>Thinking becomes reasoning content (llama-server's <c>reasoning_format: auto</c>).</summary>
    Auto,

    /// <summary>Thinking stays inline in the content, markers and all.</summary>
    None,
}

/// <summary>What a request asks of the model's reply: the tools it may call, reasoning, a response format.</summary>
public sealed record ChatFormatInputs
{
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    public ToolChoice ToolChoice { get; init; } = ToolChoice.Auto;

    public bool ParallelToolCalls { get; init; }

    /// <summary>Whether the model should think first (where the template can switch it).</summary>
    public bool EnableThinking { get; init; } = true;

    public ReasoningFormat ReasoningFormat { get; init; } = ReasoningFormat.Auto;

    /// <summary>A JSON schema the final answer must follow (response format), or null.</summary>
    public JsonNode? ResponseSchema { get; init; }

    /// <summary>
    /// What the template wrote after the conversation with <c>add_generation_prompt</c> (e.g.
    /// <c>&lt;|im_start|&gt;assistant\n&lt;think&gt;\n</c>): the reply is parsed as the continuation of it.
    /// </summary>
    public string GenerationPrompt { get; init; } = "";

    internal bool HasTools => Tools.Count > 0 && ToolChoice.Mode != ToolChoiceMode.None;

    internal bool ExtractReasoning => ReasoningFormat != ReasoningFormat.None;
}
