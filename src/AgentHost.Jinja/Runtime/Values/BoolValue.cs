using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Runtime.Values;

/// <summary>Boolean; numeric for equality (true == 1) but not for arithmetic, as in llama.cpp.</summary>
internal sealed class BoolValue : Value
{
    public static readonly BoolValue True = new(true);
    public static readonly BoolValue False = new(false);

    private BoolValue(bool v)
    {
        ValInt = v ? 1 : 0;
        ValFlt = v ? 1 : 0;
    }

    public static BoolValue Of(bool v) => v ? True : False;

    protected override bool IsShared => true;

    public override string TypeName => "Boolean";
    public override long AsInt() => ValInt;
    public override bool AsBool() => ValInt != 0;
    public override JinjaString AsString() => new(ValInt != 0 ? "True" : "False");
    public override bool IsNumeric => true;
    public override bool IsHashable => true;
    public override IReadOnlyDictionary<string, BuiltinFn> Builtins => NumberBuiltins.BoolTable;

    public override bool Equivalent(Value other) =>
        other.IsNumeric && ValInt == other.ValInt && ValFlt == other.ValFlt;
}
