using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>Methods and filters on dicts. There is deliberately no "default" (llama.cpp omits it).</summary>
internal static class ObjectBuiltins
{
    public static readonly IReadOnlyDictionary<string, BuiltinFn> Table = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
    {
        ["get"] = args =>
        {
            args.EnsureCount(2, 3);
            if (args.GetPos(0) is not ObjectValue o) throw new JinjaError("get: first argument must be an object");
            if (args.GetPos(1) is not StringValue key) throw new JinjaError("get: second argument must be a string (key)");
            return o.Get(key, args.Count == 3 ? args.GetPos(2) : NoneValue.Instance);
        },
        ["keys"] = args =>
        {
            args.EnsureVals(ArgSpec.Object);
            return new ArrayValue(((ObjectValue)args.GetPos(0)).Entries.Select(e => e.Key).ToList());
        },
        ["values"] = args =>
        {
            args.EnsureVals(ArgSpec.Object);
            return new ArrayValue(((ObjectValue)args.GetPos(0)).Entries.Select(e => e.Value).ToList());
        },
        ["items"] = args =>
        {
            args.EnsureVals(ArgSpec.Object);
            return new ArrayValue(((ObjectValue)args.GetPos(0)).Entries.Select(e => (Value)new TupleValue([e.Key, e.Value])).ToList());
        },
        ["tojson"] = CommonBuiltins.ToJson,
        ["string"] = args =>
        {
            args.EnsureVals(ArgSpec.Object);
            if (args.Ctx.State.CollectStats) Value.MarkUsed(args.GetPos(0), deep: true);
            return new StringValue(args.GetPos(0).AsString());
        },
        ["length"] = args =>
        {
            args.EnsureVals(ArgSpec.Object);
            return new IntValue(((ObjectValue)args.GetPos(0)).Count);
        },
        ["dictsort"] = args =>
        {
            var input = args.GetPos(0);
            var by = args.GetKwargOrPos("by", 2);
            var reverse = args.GetKwargOrPos("reverse", 3).AsBool();
            var byValue = by is StringValue s && s.Str == "value";
            if (input is not ObjectValue o) return new ObjectValue();
            var op = reverse ? CompareOp.Gt : CompareOp.Lt;
            var entries = o.Entries.ToList();
            // insertion sort (stable) on key or value, case-sensitive like llama.cpp
            for (var i = 1; i < entries.Count; i++)
            {
                var current = entries[i];
                var j = i - 1;
                while (j >= 0 && ValueCompare.Compare(byValue ? current.Value : current.Key, byValue ? entries[j].Value : entries[j].Key, op))
                {
                    entries[j + 1] = entries[j];
                    j--;
                }
                entries[j + 1] = current;
            }
            var sorted = new ObjectValue();
            foreach (var e in entries) sorted.Set(e.Key, e.Value);
            return sorted;
        },
        ["join"] = _ => throw new JinjaError("NotImplemented: object join not implemented"),
    };
}
