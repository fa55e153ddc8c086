using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>Builtins shared by several value types: tojson, default and select/reject.</summary>
internal static class CommonBuiltins
{
    /// <summary>tojson(value, ensure_ascii, indent, separators, sort_keys) — positional order as in llama.cpp.</summary>
    public static Value ToJson(FuncArgs args)
    {
        args.EnsureCount(1, 5);
        var ascii = args.GetKwargOrPos("ensure_ascii", 1);
        var indentArg = args.GetKwargOrPos("indent", 2);
        var separators = args.GetKwargOrPos("separators", 3);
        var sortKeys = args.GetKwargOrPos("sort_keys", 4);
        if (args.Ctx.State.CollectStats) Value.MarkUsed(args.GetPos(0), deep: true);
        var indent = indentArg is IntValue ? (int)indentArg.AsInt() : -1;
        if (sortKeys.AsBool()) throw new JinjaError("NotImplemented: tojson sort_keys=true not implemented");
        var ensureAscii = ascii.AsBool();
        var seps = separators is ArrayValue a ? a.Items : [];
        var itemSep = seps.Count > 0 ? seps[0].AsString().Str : indent < 0 ? ", " : ",";
        var keySep = seps.Count > 1 ? seps[1].AsString().Str : ": ";
        return new StringValue(JsonWriter.Write(args.GetPos(0), indent, itemSep, keySep, ensureAscii));
    }

    /// <summary>default(value, fallback, boolean=false): the fallback replaces undefined/none (or any falsy value).</summary>
    public static Value Default(FuncArgs args)
    {
        args.EnsureCount(2, 3);
        var checkBool = args.GetKwargOrPos("boolean", 2).AsBool();
        var input = args.GetPos(0);
        var missing = checkBool ? !input.AsBool() : input.IsUndefined || input.IsNone;
        return missing ? args.GetPos(1) : input;
    }

    /// <summary>
    /// selectattr/select (and reject variants), with llama.cpp's argument reading:
    /// (attr) → truthy attribute; (test, value) → test(item, value); (attr, test, value) → test(item.attr, value).
    /// </summary>
    public static BuiltinFn SelectAttr(bool reject) => args =>
    {
        args.EnsureCount(2, 4);
        args.EnsureVals(ArgSpec.Array, ArgSpec.String, ArgSpec.Optional, ArgSpec.Optional);
        var items = args.GetPos(0).AsArray();
        var attribute = args.GetPos(1);
        var output = new ArrayValue();

        switch (args.Count)
        {
            case 2:
                foreach (var item in items)
                {
                    if (item is not ObjectValue o) throw new JinjaError("selectattr: item is not an object");
                    if (o.Get(attribute, UndefinedValue.Instance).AsBool() != reject) output.Add(item);
                }
                return output;
            case 3:
            {
                var test = FindTest(args.GetPos(1).AsString().Str);
                var testValue = args.GetPos(2);
                foreach (var item in items)
                {
                    var testArgs = new FuncArgs(args.Ctx, "", [item, testValue]);
                    if (test(testArgs).AsBool() != reject) output.Add(item);
                }
                return output;
            }
            case 4:
            {
                var test = FindTest(args.GetPos(2).AsString().Str);
                var extra = args.GetPos(3);
                foreach (var item in items)
                {
                    if (item is not ObjectValue o) throw new JinjaError("selectattr: item is not an object");
                    var testArgs = new FuncArgs(args.Ctx, "", [o.Get(attribute, UndefinedValue.Instance), extra]);
                    if (test(testArgs).AsBool() != reject) output.Add(item);
                }
                return output;
            }
            default:
                throw new JinjaError("selectattr: invalid number of arguments");
        }
    };

    private static BuiltinFn FindTest(string name) =>
        GlobalFunctions.Table.TryGetValue(Tests.Prefix + name, out var fn)
            ? fn
            : throw new JinjaError($"selectattr: unknown test '{name}'");

    /// <summary>Python slicing with llama.cpp's bound handling (start/stop clamped before stepping).</summary>
    public static List<T> Slice<T>(IReadOnlyList<T> array, long start, long stop, long step)
    {
        long len = array.Count;
        var direction = step > 0 ? 1 : step < 0 ? -1 : 0;
        long startVal, stopVal;
        if (direction >= 0)
        {
            startVal = start < 0 ? Math.Max(len + start, 0) : Math.Min(start, len);
            stopVal = stop < 0 ? Math.Max(len + stop, 0) : Math.Min(stop, len);
        }
        else
        {
            startVal = start < 0 ? Math.Max(len + start, 0) : Math.Min(start, len - 1);
            stopVal = stop < -1 ? Math.Max(len + stop, -1) : Math.Min(stop, len - 1);
        }
        var result = new List<T>();
        if (direction == 0) return result;
        for (var i = startVal; direction * i < direction * stopVal; i += step)
            if (i >= 0 && i < len) result.Add(array[(int)i]);
        return result;
    }
}
