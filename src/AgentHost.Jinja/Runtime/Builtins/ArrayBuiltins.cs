using System.Text;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>Filters and methods on lists and tuples (llama.cpp's value_array_t builtins).</summary>
internal static class ArrayBuiltins
{
    public static readonly IReadOnlyDictionary<string, BuiltinFn> Table = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
    {
        ["default"] = CommonBuiltins.Default,
        ["list"] = args =>
        {
            args.EnsureVals(ArgSpec.Array);
            return new ArrayValue([.. args.GetPos(0).AsArray()]);
        },
        ["first"] = args =>
        {
            args.EnsureVals(ArgSpec.Array);
            var items = args.GetPos(0).AsArray();
            return items.Count == 0 ? new UndefinedValue() : items[0];
        },
        ["last"] = args =>
        {
            args.EnsureVals(ArgSpec.Array);
            var items = args.GetPos(0).AsArray();
            return items.Count == 0 ? new UndefinedValue() : items[^1];
        },
        ["length"] = args =>
        {
            args.EnsureVals(ArgSpec.Array);
            return new IntValue(args.GetPos(0).AsArray().Count);
        },
        ["slice"] = args =>
        {
            args.EnsureCount(1, 4);
            args.EnsureVals(ArgSpec.Array, ArgSpec.Int, ArgSpec.Optional, ArgSpec.Optional);
            var (start, stop, step) = StringBuiltins.SliceBounds(args);
            if (step == 0) throw new JinjaError("slice step cannot be zero");
            var input = args.GetPos(0);
            return SameKind(input, CommonBuiltins.Slice(input.AsArray(), start, stop, step));
        },
        ["selectattr"] = CommonBuiltins.SelectAttr(reject: false),
        ["select"] = CommonBuiltins.SelectAttr(reject: false),
        ["rejectattr"] = CommonBuiltins.SelectAttr(reject: true),
        ["reject"] = CommonBuiltins.SelectAttr(reject: true),
        ["join"] = Join,
        ["string"] = args =>
        {
            args.EnsureVals(ArgSpec.Array);
            if (args.Ctx.State.CollectStats) Value.MarkUsed(args.GetPos(0), deep: true);
            return new StringValue(args.GetPos(0).AsString());
        },
        ["tojson"] = CommonBuiltins.ToJson,
        ["map"] = Map,
        ["append"] = args =>
        {
            args.EnsureCount(2);
            if (args.GetPos(0) is not ArrayValue a) throw new JinjaError("append: first argument must be an array");
            a.Add(args.GetPos(1));
            return a; // llama.cpp returns the list itself, not none
        },
        ["pop"] = args =>
        {
            args.EnsureCount(1, 2);
            args.EnsureVals(ArgSpec.Array, ArgSpec.Optional);
            var index = args.Count == 2 ? args.GetPos(1).AsInt() : -1;
            return ((ArrayValue)args.GetPos(0)).PopAt(index);
        },
        ["sort"] = Sort,
        ["reverse"] = args =>
        {
            args.EnsureVals(ArgSpec.Array);
            var input = args.GetPos(0);
            var items = new List<Value>(input.AsArray());
            items.Reverse();
            return SameKind(input, items);
        },
        ["min"] = args => MinMax(args, CompareOp.Lt),
        ["max"] = args => MinMax(args, CompareOp.Gt),
        ["unique"] = _ => throw new JinjaError("NotImplemented: Array unique builtin not implemented"),
    };

    private static Value SameKind(Value input, List<Value> items) => input is TupleValue ? new TupleValue(items) : new ArrayValue(items);

    private static Value Join(FuncArgs args)
    {
        args.EnsureCount(1, 3);
        if (args.GetPos(0) is not ArrayValue input) throw new JinjaError("join() first argument must be an array");
        var delimArg = args.GetKwargOrPos("d", 1);
        var attribute = args.GetKwargOrPos("attribute", 2);
        var attrIsInt = attribute is IntValue;
        if (!attribute.IsUndefined && attribute is not StringValue && !attrIsInt)
            throw new JinjaError("join() attribute must be string or integer");
        var delim = delimArg.IsUndefined ? "" : delimArg.AsString().Str;
        var sb = new StringBuilder();
        for (var i = 0; i < input.Items.Count; i++)
        {
            var item = input.Items[i];
            if (!attribute.IsUndefined)
            {
                if (attrIsInt && item is ArrayValue a) item = ElementAt(a, attribute.AsInt());
                else if (!attrIsInt && item is ObjectValue o) item = o.GetRequired(attribute);
            }
            if (item is not (StringValue or IntValue or FloatValue))
                throw new JinjaError("join() can only join arrays of strings or numerics");
            sb.Append(item.AsString().Str);
            if (i < input.Items.Count - 1) sb.Append(delim);
        }
        return new StringValue(sb.ToString());
    }

    private static Value ElementAt(ArrayValue a, long index)
    {
        if (index < 0) index += a.Items.Count;
        if (index < 0 || index >= a.Items.Count)
            throw new JinjaError($"Index {index} out of bounds for array of size {a.Items.Count}");
        return a.Items[(int)index];
    }

    private static Value Map(FuncArgs args)
    {
        args.EnsureCount(2);
        if (args.GetPos(0) is not ArrayValue input) throw new JinjaError("map: first argument must be an array");
        if (args.All[1] is not KwargValue) throw new JinjaError("NotImplemented: map: filter-mapping not implemented");
        var attribute = args.GetKwargOrPos("attribute", 1);
        var attrIsInt = attribute is IntValue;
        if (attribute is not StringValue && !attrIsInt) throw new JinjaError("map: attribute must be string or integer");
        var fallback = args.GetKwarg("default", UndefinedValue.Instance);
        var output = new List<Value>();
        foreach (var item in input.Items)
        {
            if (attrIsInt)
            {
                var index = attribute.AsInt();
                if (item is ArrayValue a)
                {
                    if (index < 0) index += a.Items.Count;
                    output.Add(index >= 0 && index < a.Items.Count ? a.Items[(int)index] : fallback);
                }
                else output.Add(fallback);
            }
            else output.Add(item is ObjectValue o ? o.Get(attribute, fallback) : fallback);
        }
        return SameKind(input, output);
    }

    private static Value Sort(FuncArgs args)
    {
        args.EnsureCount(1, 4);
        if (args.GetPos(0) is not ArrayValue input) throw new JinjaError("sort: first argument must be an array");
        var reverse = args.GetKwargOrPos("reverse", 1).AsBool();
        var attribute = args.GetKwargOrPos("attribute", 3);
        var attrIsInt = attribute is IntValue;
        var op = reverse ? CompareOp.Gt : CompareOp.Lt;
        bool Less(Value a, Value b)
        {
            if (!attribute.IsUndefined)
            {
                if (attrIsInt && a is ArrayValue aa && b is ArrayValue ba)
                    (a, b) = (ElementAt(aa, attribute.AsInt()), ElementAt(ba, attribute.AsInt()));
                else if (!attrIsInt && a is ObjectValue ao && b is ObjectValue bo)
                    (a, b) = (ao.GetRequired(attribute), bo.GetRequired(attribute));
                else throw new JinjaError($"sort: unsupported object attribute comparison between {a.TypeName} and {b.TypeName}");
            }
            return ValueCompare.Compare(a, b, op);
        }
        return SameKind(input, StableSort(input.Items, Less));
    }

    /// <summary>Insertion sort: stable, and identical to std::sort for the short lists templates sort.</summary>
    private static List<Value> StableSort(List<Value> source, Func<Value, Value, bool> less)
    {
        var items = new List<Value>(source);
        for (var i = 1; i < items.Count; i++)
        {
            var current = items[i];
            var j = i - 1;
            while (j >= 0 && less(current, items[j]))
            {
                items[j + 1] = items[j];
                j--;
            }
            items[j + 1] = current;
        }
        return items;
    }

    private static Value MinMax(FuncArgs args, CompareOp op)
    {
        args.EnsureCount(1, 4);
        args.EnsureVals(ArgSpec.Array);
        if (!args.GetKwargOrPos("attribute", 2).IsUndefined)
            throw new JinjaError($"NotImplemented: {(op == CompareOp.Lt ? "min" : "max")}: attribute not implemented");
        var items = args.GetPos(0).AsArray();
        if (items.Count == 0) return new UndefinedValue();
        var result = items[0];
        for (var i = 1; i < items.Count; i++)
            if (ValueCompare.Compare(items[i], result, op)) result = items[i];
        return result;
    }
}
