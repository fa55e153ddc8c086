using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>
/// Names resolvable as bare identifiers when no variable shadows them: raise_exception,
/// namespace, strftime_now, range, tojson and the test_is_* tests. Like llama.cpp there is no
/// dict(), cycler() or joiner().
/// </summary>
internal static class GlobalFunctions
{
    public static readonly IReadOnlyDictionary<string, BuiltinFn> Table = Build();

    private static Dictionary<string, BuiltinFn> Build()
    {
        var table = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
        {
            ["raise_exception"] = args =>
            {
                args.EnsureVals(ArgSpec.String);
                throw new RaisedError(args.GetPos(0).AsString().Str);
            },
            ["namespace"] = args =>
            {
                var ns = new ObjectValue();
                foreach (var arg in args.All)
                {
                    if (arg is not KwargValue kw) throw new JinjaError("namespace() arguments must be kwargs");
                    ns.Set(kw.Key, kw.Value);
                }
                return ns;
            },
            ["strftime_now"] = args =>
            {
                args.EnsureVals(ArgSpec.String);
                var text = Strftime.Format(args.GetPos(0).AsString().Str, args.Ctx.State.Now);
                // C strftime into a 100-byte buffer: an empty or oversized result reports failure
                if (text.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(text) >= 100)
                    throw new JinjaError("strftime_now: failed to format time");
                return new StringValue(text);
            },
            ["range"] = Range,
            ["tojson"] = CommonBuiltins.ToJson,
        };
        Tests.Register(table);
        return table;
    }

    private static Value Range(FuncArgs args)
    {
        args.EnsureCount(1, 3);
        args.EnsureVals(ArgSpec.Int, ArgSpec.Optional, ArgSpec.Optional);
        long start, stop, step;
        switch (args.Count)
        {
            case 1:
                (start, stop, step) = (0, args.GetPos(0).AsInt(), 1);
                break;
            case 2:
                (start, stop, step) = (args.GetPos(0).AsInt(), args.GetPos(1).AsInt(), 1);
                break;
            default:
                (start, stop, step) = (args.GetPos(0).AsInt(), args.GetPos(1).AsInt(), args.GetPos(2).AsInt());
                break;
        }
        if (step == 0) throw new JinjaError("range() step argument must not be zero");
        var limit = args.Ctx.State.Limits.MaxRangeLength;
        var items = new List<Value>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            if (items.Count >= limit) throw new JinjaError($"range() would produce more than {limit} items");
            items.Add(new IntValue(i));
        }
        return new ArrayValue(items);
    }
}
