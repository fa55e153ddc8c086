using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Runtime.Values;

internal sealed class NoneValue : Value
{
    public static readonly NoneValue Instance = new();

    private NoneValue() { }

    protected override bool IsShared => true;

    public override string TypeName => "None";
    public override bool IsNone => true;
    public override bool AsBool() => false;
    public override JinjaString AsString() => new("None");
    public override string AsRepr() => "None";
    public override bool IsHashable => true;
    public override IReadOnlyDictionary<string, BuiltinFn> Builtins => NoneUndefinedBuiltins.NoneTable;
    public override bool Equivalent(Value other) => other is NoneValue;
}
