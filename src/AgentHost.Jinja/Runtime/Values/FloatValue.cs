using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Runtime.Values;

internal sealed class FloatValue : Value
{
    public FloatValue(double v)
    {
        ValFlt = v;
        ValInt = double.IsFinite(v) ? NumberFormat.CInt64(v) : 0;
    }

    public override string TypeName => "Float";
    public override long AsInt() => ValInt;
    public override double AsFloat() => ValFlt;

    /// <summary>std::to_string (%f) with trailing zeros removed but one decimal kept: 2.5, 3.0, 0.333333.</summary>
    public override JinjaString AsString() => new(NumberFormat.StdToStringTrimmed(ValFlt));

    public override bool AsBool() => ValFlt != 0.0;
    public override bool IsNumeric => true;
    public override bool IsHashable => true;
    public override IReadOnlyDictionary<string, BuiltinFn> Builtins => NumberBuiltins.FloatTable;

    public override bool Equivalent(Value other) =>
        other.IsNumeric && ValInt == other.ValInt && ValFlt == other.ValFlt;
}
