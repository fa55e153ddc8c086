namespace AgentHost.Grammar;

/// <summary>The tool-call syntaxes this library knows.</summary>
public enum ToolCallFormatKind
{
    /// <summary>Hermes 2 Pro / Qwen 2.5 / Qwen 3: <c>&lt;tool_call&gt;\n{"name": ..., "arguments": ...}\n&lt;/tool_call&gt;</c>.</summary>
    Hermes,

    /// <summary>Llama 3.1-3.3 JSON: <c>{"name": ..., "parameters": ...}</c>, possibly after <c>&lt;|python_tag|&gt;</c>.</summary>
    Llama3Json,

    /// <summary>Mistral Nemo: <c>[TOOL_CALLS][{"name": ..., "arguments": ..., "id": ...}]</c>.</summary>
    MistralNemo,

    /// <summary>
    /// For templates without tool support: the whole reply is <c>{"tool_calls": [{"name": ..., "arguments": {...}}]}</c>
    /// or <c>{"response": "..."}</c>, described to the model by <see cref="ToolCallFormat.BuildSystemPrompt"/>.
    /// </summary>
    GenericJson,
}
