namespace AgentHost.Jinja;

/// <summary>
/// Safety limits for one render, so hostile or broken templates fail with a
/// <see cref="TemplateRuntimeException"/> instead of overflowing the stack or running forever.
/// The defaults are far above what real chat templates need.
/// </summary>
public sealed record RenderLimits
{
    /// <summary>Shared defaults.</summary>
    public static RenderLimits Default { get; } = new();

    /// <summary>Deepest allowed nesting of macro calls (guards runaway recursion).</summary>
    public int MaxMacroDepth { get; init; } = 100;

    /// <summary>Total for-loop iterations allowed across the whole render.</summary>
    public long MaxLoopIterations { get; init; } = 5_000_000;

    /// <summary>Largest list <c>range()</c> may build.</summary>
    public int MaxRangeLength { get; init; } = 1_000_000;

    /// <summary>Longest string (in chars) a single operation such as <c>"x" * n</c> or the final prompt may reach.</summary>
    public int MaxStringLength { get; init; } = 64 * 1024 * 1024;
}
