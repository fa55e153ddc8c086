using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime;

/// <summary>
/// A variable scope. As in llama.cpp a new scope is a copy of its parent (values are shared
/// references), so assignments inside loops and macros never leak out, while mutations of shared
/// objects such as namespace() do.
/// </summary>
internal sealed class Context
{
    private readonly Dictionary<string, Value> _vars;

    public Context(RenderState state)
    {
        State = state;
        _vars = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["true"] = BoolValue.True,
            ["True"] = BoolValue.True,
            ["false"] = BoolValue.False,
            ["False"] = BoolValue.False,
            ["none"] = NoneValue.Instance,
            ["None"] = NoneValue.Instance,
        };
    }

    public Context(Context parent)
    {
        State = parent.State;
        _vars = new Dictionary<string, Value>(parent._vars, StringComparer.Ordinal);
    }

    /// <summary>State shared by every scope of one render: clock, limits, statistics mode.</summary>
    public RenderState State { get; }

    public Value Get(string name) => _vars.TryGetValue(name, out var v) ? v : new UndefinedValue(name);

    public void Set(string name, Value value) => _vars[name] = value;
}

/// <summary>Per-render settings and counters shared across scopes.</summary>
internal sealed class RenderState(SourceText source, DateTimeOffset now, RenderLimits limits, bool collectStats)
{
    public SourceText Source { get; } = source;

    /// <summary>The clock reading strftime_now formats (its own offset is the "local" zone).</summary>
    public DateTimeOffset Now { get; } = now;

    public RenderLimits Limits { get; } = limits;

    /// <summary>True while detecting template capabilities: values record how they are used.</summary>
    public bool CollectStats { get; } = collectStats;

    public int MacroDepth { get; set; }

    public long LoopIterations { get; set; }
}
