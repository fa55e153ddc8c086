namespace AgentHost.Grammar;

/// <summary>The tool choice of a request: auto, required, none, or one named function.</summary>
public sealed record ToolChoice
{
    private ToolChoice(ToolChoiceMode mode, string? functionName)
    {
        Mode = mode;
        FunctionName = functionName;
    }

    /// <summary>The model decides whether to call tools.</summary>
    public static ToolChoice Auto { get; } = new(ToolChoiceMode.Auto, null);

    /// <summary>The model must call at least one tool.</summary>
    public static ToolChoice Required { get; } = new(ToolChoiceMode.Required, null);

    /// <summary>The model must not call tools.</summary>
    public static ToolChoice None { get; } = new(ToolChoiceMode.None, null);

    /// <summary>The model must call <paramref name="name"/> (exactly once).</summary>
    public static ToolChoice Function(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ToolChoice(ToolChoiceMode.Function, name);
    }

    /// <summary>The mode.</summary>
    public ToolChoiceMode Mode { get; }

    /// <summary>The required function for <see cref="ToolChoiceMode.Function"/>, else null.</summary>
    public string? FunctionName { get; }
}
