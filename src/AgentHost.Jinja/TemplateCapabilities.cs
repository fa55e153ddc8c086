using AgentHost.Jinja.Compat;

namespace AgentHost.Jinja;

/// <summary>
/// What a chat template supports, detected like llama.cpp's jinja::caps_get: the template is run
/// on probe conversations and the values it touched are inspected. The results drive the same
/// input workarounds llama.cpp applies (merging an unsupported system message, parsing tool-call
/// arguments into objects, flattening typed content).
/// </summary>
public sealed record TemplateCapabilities
{
    /// <summary>The template reads <c>tools</c>.</summary>
    public bool SupportsTools { get; init; } = true;

    /// <summary>The template renders assistant <c>tool_calls</c>.</summary>
    public bool SupportsToolCalls { get; init; } = true;

    /// <summary>The template renders the system message.</summary>
    public bool SupportsSystemRole { get; init; } = true;

    /// <summary>The template renders more than one tool call per message.</summary>
    public bool SupportsParallelToolCalls { get; init; } = true;

    /// <summary>Reasoning of earlier turns is kept in the prompt when preserve flags are set.</summary>
    public bool SupportsPreserveReasoning { get; init; }

    /// <summary>The template reads <c>reasoning_effort</c>.</summary>
    public bool SupportsReasoningEffort { get; init; }

    /// <summary>Message content may be a plain string.</summary>
    public bool SupportsStringContent { get; init; } = true;

    /// <summary>Message content may be a list of typed parts.</summary>
    public bool SupportsTypedContent { get; init; }

    /// <summary>Tool-call arguments are read as an object (so llama.cpp passes them parsed, not as a JSON string).</summary>
    public bool SupportsObjectArguments { get; init; }

    /// <summary>Runs llama.cpp's capability probes against <paramref name="template"/>.</summary>
    public static TemplateCapabilities Detect(ChatTemplate template) => CapabilityDetector.Detect(template);
}
