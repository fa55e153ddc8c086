using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>Builtins of none and undefined: mostly lenient "empty" results so optional fields can be filtered.</summary>
internal static class NoneUndefinedBuiltins
{
    private static readonly BuiltinFn EmptyArray = _ => new ArrayValue();
    private static readonly BuiltinFn EmptyString = _ => new StringValue("");
    private static readonly BuiltinFn Zero = _ => new IntValue(0);
    private static readonly BuiltinFn Undefined = _ => new UndefinedValue();
    private static readonly BuiltinFn NoneString = _ => new StringValue("None");

    public static readonly IReadOnlyDictionary<string, BuiltinFn> NoneTable = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
    {
        ["default"] = CommonBuiltins.Default,
        ["tojson"] = CommonBuiltins.ToJson,
        ["string"] = NoneString,
        ["safe"] = NoneString,
        ["items"] = EmptyArray,
        ["map"] = EmptyArray,
        ["reject"] = EmptyArray,
        ["rejectattr"] = EmptyArray,
        ["select"] = EmptyArray,
        ["selectattr"] = EmptyArray,
        ["unique"] = EmptyArray,
    };

    public static readonly IReadOnlyDictionary<string, BuiltinFn> UndefinedTable = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
    {
        ["default"] = CommonBuiltins.Default,
        ["capitalize"] = EmptyString,
        ["first"] = Undefined,
        ["items"] = EmptyArray,
        ["join"] = EmptyString,
        ["last"] = Undefined,
        ["length"] = Zero,
        ["list"] = EmptyArray,
        ["lower"] = EmptyString,
        ["map"] = EmptyArray,
        ["max"] = Undefined,
        ["min"] = Undefined,
        ["reject"] = EmptyArray,
        ["rejectattr"] = EmptyArray,
        ["replace"] = EmptyString,
        ["reverse"] = EmptyArray,
        ["safe"] = EmptyString,
        ["select"] = EmptyArray,
        ["selectattr"] = EmptyArray,
        ["sort"] = EmptyArray,
        ["string"] = EmptyString,
        ["strip"] = EmptyString,
        ["sum"] = Zero,
        ["title"] = EmptyString,
        ["truncate"] = EmptyString,
        ["unique"] = EmptyArray,
        ["upper"] = EmptyString,
        ["wordcount"] = Zero,
    };
}
