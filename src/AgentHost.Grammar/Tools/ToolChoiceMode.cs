namespace AgentHost.Grammar;

/// <summary>Whether and how the model must call tools.</summary>
public enum ToolChoiceMode
{
    /// <summary>The model decides; the grammar is lazy and only engages when a tool-call opener appears.</summary>
    Auto,

    /// <summary>The model must call at least one tool; the grammar applies from the first token.</summary>
    Required,

    /// <summary>The model must not call tools; no grammar.</summary>
    None,

    /// <summary>The model must call one specific function (<see cref="ToolChoice.FunctionName"/>).</summary>
    Function,
}
