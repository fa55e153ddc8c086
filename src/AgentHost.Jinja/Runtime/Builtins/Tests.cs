using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>
/// The <c>is</c> tests, registered as "test_is_&lt;name&gt;" globals exactly as llama.cpp does
/// (so selectattr/rejectattr can find them by name).
/// </summary>
internal static class Tests
{
    public const string Prefix = "test_is_";

    public static void Register(Dictionary<string, BuiltinFn> table)
    {
        table[Prefix + "boolean"] = TypeTest(v => v is BoolValue);
        table[Prefix + "callable"] = TypeTest(v => v is FunctionValue);
        table[Prefix + "odd"] = args =>
        {
            args.EnsureVals(ArgSpec.Int);
            return BoolValue.Of(args.GetPos(0).AsInt() % 2 != 0);
        };
        table[Prefix + "even"] = args =>
        {
            args.EnsureVals(ArgSpec.Int);
            return BoolValue.Of(args.GetPos(0).AsInt() % 2 == 0);
        };
        table[Prefix + "false"] = args =>
        {
            args.EnsureCount(1);
            return BoolValue.Of(args.GetPos(0) is BoolValue b && !b.AsBool());
        };
        table[Prefix + "true"] = args =>
        {
            args.EnsureCount(1);
            return BoolValue.Of(args.GetPos(0) is BoolValue b && b.AsBool());
        };
        table[Prefix + "divisibleby"] = args =>
        {
            args.EnsureVals(ArgSpec.Int, ArgSpec.Int);
            var divisor = args.GetPos(1).ValInt;
            if (divisor == 0) throw new JinjaError("divisibleby: division by zero");
            return BoolValue.Of(args.GetPos(0).ValInt % divisor == 0);
        };
        table[Prefix + "string"] = TypeTest(v => v is StringValue);
        table[Prefix + "integer"] = TypeTest(v => v is IntValue);
        table[Prefix + "float"] = TypeTest(v => v is FloatValue);
        table[Prefix + "number"] = TypeTest(v => v is IntValue or FloatValue);
        // llama.cpp counts undefined as iterable/sequence (a for loop over it is empty)
        table[Prefix + "iterable"] = TypeTest(v => v is ArrayValue or StringValue or UndefinedValue);
        table[Prefix + "sequence"] = TypeTest(v => v is ArrayValue or StringValue or UndefinedValue);
        table[Prefix + "mapping"] = TypeTest(v => v is ObjectValue);
        table[Prefix + "lower"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return BoolValue.Of(args.GetPos(0).AsString().IsLowercase);
        };
        table[Prefix + "upper"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return BoolValue.Of(args.GetPos(0).AsString().IsUppercase);
        };
        table[Prefix + "none"] = TypeTest(v => v is NoneValue);
        table[Prefix + "defined"] = args =>
        {
            args.EnsureCount(1);
            return BoolValue.Of(!args.GetPos(0).IsUndefined);
        };
        table[Prefix + "undefined"] = TypeTest(v => v is UndefinedValue);
        table[Prefix + "eq"] = CompareTest(CompareOp.Eq);
        table[Prefix + "equalto"] = CompareTest(CompareOp.Eq);
        table[Prefix + "ge"] = CompareTest(CompareOp.Ge);
        table[Prefix + "gt"] = CompareTest(CompareOp.Gt);
        table[Prefix + "greaterthan"] = CompareTest(CompareOp.Gt);
        table[Prefix + "lt"] = CompareTest(CompareOp.Lt);
        table[Prefix + "lessthan"] = CompareTest(CompareOp.Lt);
        table[Prefix + "ne"] = CompareTest(CompareOp.Ne);
        table[Prefix + "in"] = args =>
        {
            args.EnsureCount(2);
            return BoolValue.Of(IsIn(args.GetPos(0), args.GetPos(1)));
        };
        table[Prefix + "test"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return BoolValue.Of(GlobalFunctions.Table.ContainsKey(Prefix + args.GetPos(0).AsString().Str));
        };
        table[Prefix + "sameas"] = _ => throw new JinjaError("NotImplemented: sameas test not implemented");
        table[Prefix + "escaped"] = _ => throw new JinjaError("NotImplemented: escaped test not implemented");
        table[Prefix + "filter"] = _ => throw new JinjaError("NotImplemented: filter test not implemented");
    }

    /// <summary>Membership as llama.cpp's test_is_in: list items by ==, substrings, dict keys; undefined contains nothing.</summary>
    public static bool IsIn(Value needle, Value haystack)
    {
        switch (haystack)
        {
            case UndefinedValue:
                return false;
            case ArrayValue a:
                foreach (var item in a.Items)
                    if (needle.Equivalent(item)) return true;
                return false;
            case StringValue s:
                if (needle is not StringValue n)
                    throw new JinjaError($"'in' test expects args[1] as string when args[0] is string, got args[1] as {needle.TypeName}");
                return s.Str.Contains(n.Str, StringComparison.Ordinal);
            case ObjectValue o:
                return o.HasKey(needle);
            default:
                throw new JinjaError($"'in' test expects iterable as first argument, got {haystack.TypeName}");
        }
    }

    private static BuiltinFn TypeTest(Func<Value, bool> predicate) => args =>
    {
        args.EnsureCount(1);
        return BoolValue.Of(predicate(args.GetPos(0)));
    };

    private static BuiltinFn CompareTest(CompareOp op) => args =>
    {
        args.EnsureCount(2, 2);
        return BoolValue.Of(ValueCompare.Compare(args.GetPos(0), args.GetPos(1), op));
    };
}
