namespace AgentHost.Jinja.Runtime.Values;

/// <summary>A keyword argument (name=value) travelling inside an argument list.</summary>
internal sealed class KwargValue(string key, Value value) : Value
{
    public string Key { get; } = key;

    public Value Value { get; } = value;

    public override string TypeName => "KwArg";
    public override string AsRepr() => TypeName;
    public override bool IsHashable => true;
    public override bool Equivalent(Value other) => other is KwargValue k && k.Key == Key && ReferenceEquals(k.Value, Value);
}
