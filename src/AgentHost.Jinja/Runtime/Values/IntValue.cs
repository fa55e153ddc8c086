using System.Globalization;
using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Runtime.Values;

internal sealed class IntValue : Value
{
    public IntValue(long v)
    {
        ValInt = v;
        var f = (double)v;
        // llama.cpp marks integers that do not survive a round trip through double as infinite
        ValFlt = NumberFormat.CInt64(f) != v ? (v < 0 ? double.NegativeInfinity : double.PositiveInfinity) : f;
    }

    public override string TypeName => "Integer";
    public override long AsInt() => ValInt;
    public override double AsFloat() => ValFlt;
    public override JinjaString AsString() => new(ValInt.ToString(CultureInfo.InvariantCulture));
    public override bool AsBool() => ValInt != 0;
    public override bool IsNumeric => true;
    public override bool IsHashable => true;
    public override IReadOnlyDictionary<string, BuiltinFn> Builtins => NumberBuiltins.IntTable;

    public override bool Equivalent(Value other) =>
        other.IsNumeric && ValInt == other.ValInt && ValFlt == other.ValFlt;
}
