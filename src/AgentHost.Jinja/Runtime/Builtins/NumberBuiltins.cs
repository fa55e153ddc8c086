using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>Builtins of integers, floats and booleans. Note: string/safe on numbers go through tojson, as in llama.cpp.</summary>
internal static class NumberBuiltins
{
    public static readonly IReadOnlyDictionary<string, BuiltinFn> IntTable = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
    {
        ["default"] = CommonBuiltins.Default,
        ["abs"] = args =>
        {
            args.EnsureVals(ArgSpec.Int);
            var v = args.GetPos(0).AsInt();
            return new IntValue(v < 0 ? -v : v);
        },
        ["int"] = args =>
        {
            args.EnsureVals(ArgSpec.Int);
            return new IntValue(args.GetPos(0).AsInt());
        },
        ["float"] = args =>
        {
            args.EnsureVals(ArgSpec.Int);
            return new FloatValue(args.GetPos(0).AsInt());
        },
        ["safe"] = CommonBuiltins.ToJson,
        ["string"] = CommonBuiltins.ToJson,
        ["tojson"] = CommonBuiltins.ToJson,
    };

    public static readonly IReadOnlyDictionary<string, BuiltinFn> FloatTable = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
    {
        ["default"] = CommonBuiltins.Default,
        ["abs"] = args =>
        {
            args.EnsureVals(ArgSpec.Float);
            var v = args.GetPos(0).AsFloat();
            return new FloatValue(v < 0.0 ? -v : v);
        },
        ["int"] = args =>
        {
            args.EnsureVals(ArgSpec.Float);
            return new IntValue(NumberFormat.CInt64(args.GetPos(0).AsFloat()));
        },
        ["float"] = args =>
        {
            args.EnsureVals(ArgSpec.Float);
            return new FloatValue(args.GetPos(0).AsFloat());
        },
        ["safe"] = CommonBuiltins.ToJson,
        ["string"] = CommonBuiltins.ToJson,
        ["tojson"] = CommonBuiltins.ToJson,
    };

    private static readonly BuiltinFn BoolToString = args =>
    {
        args.EnsureVals(ArgSpec.Bool);
        return new StringValue(args.GetPos(0).AsBool() ? "True" : "False");
    };

    public static readonly IReadOnlyDictionary<string, BuiltinFn> BoolTable = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
    {
        ["default"] = CommonBuiltins.Default,
        ["int"] = args =>
        {
            args.EnsureVals(ArgSpec.Bool);
            return new IntValue(args.GetPos(0).AsBool() ? 1 : 0);
        },
        ["float"] = args =>
        {
            args.EnsureVals(ArgSpec.Bool);
            return new FloatValue(args.GetPos(0).AsBool() ? 1.0 : 0.0);
        },
        ["safe"] = BoolToString,
        ["string"] = BoolToString,
        ["tojson"] = CommonBuiltins.ToJson,
    };
}
