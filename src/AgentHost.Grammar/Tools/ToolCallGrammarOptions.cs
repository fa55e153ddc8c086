namespace AgentHost.Grammar;

/// <summary>Options for <see cref="ToolCallFormat.Build"/>.</summary>
public sealed record ToolCallGrammarOptions
{
    /// <summary>Shared default instance.</summary>
    public static ToolCallGrammarOptions Default { get; } = new();

    /// <summary>Whether several calls may be made in one turn (formats that can express it). Default true.</summary>
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary>Options for the argument schemas (additionalProperties default, whitespace).</summary>
    public JsonSchemaGrammarOptions Schema { get; init; } = JsonSchemaGrammarOptions.Default;
}
