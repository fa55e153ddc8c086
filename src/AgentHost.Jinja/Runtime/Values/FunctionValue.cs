namespace AgentHost.Jinja.Runtime.Values;

/// <summary>A callable: a global, a macro, or a builtin bound to its receiver (<see cref="Self"/>).</summary>
internal sealed class FunctionValue(string name, BuiltinFn handler, Value? self = null) : Value
{
    public string Name { get; } = name;

    public Value? Self { get; } = self;

    public override string TypeName => "Function";

    public Value Invoke(FuncArgs args) => handler(args.ForCall(Name, Self));

    public override string AsRepr() => $"Function<{Name}>({Self?.AsRepr() ?? ""})";

    // llama.cpp compares std::function targets, which are equal for all lambda-based callables.
    public override bool Equivalent(Value other) => other is FunctionValue;
}
