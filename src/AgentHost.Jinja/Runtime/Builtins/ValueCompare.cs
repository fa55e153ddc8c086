using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

internal enum CompareOp { Eq, Ge, Gt, Lt, Ne }

/// <summary>
/// llama.cpp's value_compare, used by comparison tests, sort, dictsort, min and max: numbers
/// compare numerically, a string against a string or number compares as text, booleans only
/// support eq/ne, and anything else is simply "false".
/// </summary>
internal static class ValueCompare
{
    public static bool Compare(Value a, Value b, CompareOp op)
    {
        if (a is IntValue or FloatValue && b is IntValue or FloatValue)
        {
            double x = a.AsFloat(), y = b.AsFloat();
            return op switch
            {
                CompareOp.Eq => x == y,
                CompareOp.Ge => x >= y,
                CompareOp.Gt => x > y,
                CompareOp.Lt => x < y,
                _ => x != y,
            };
        }
        if ((b is StringValue && a is IntValue or FloatValue) || (a is StringValue && b is IntValue or FloatValue) || (a is StringValue && b is StringValue))
        {
            var c = CompareText(a.AsString().Str, b.AsString().Str);
            return op switch
            {
                CompareOp.Eq => c == 0,
                CompareOp.Ge => c >= 0,
                CompareOp.Gt => c > 0,
                CompareOp.Lt => c < 0,
                _ => c != 0,
            };
        }
        if (a is BoolValue && b is BoolValue)
        {
            return op switch
            {
                CompareOp.Eq => a.AsBool() == b.AsBool(),
                CompareOp.Ne => a.AsBool() != b.AsBool(),
                _ => throw new JinjaError("Unsupported comparison operator for bool type"),
            };
        }
        return false;
    }

    /// <summary>Orders strings like std::string (UTF-8 bytes), i.e. by code point.</summary>
    public static int CompareText(string a, string b)
    {
        var ea = a.EnumerateRunes();
        var eb = b.EnumerateRunes();
        while (true)
        {
            var hasA = ea.MoveNext();
            var hasB = eb.MoveNext();
            if (!hasA || !hasB) return hasA ? 1 : hasB ? -1 : 0;
            if (ea.Current.Value != eb.Current.Value) return ea.Current.Value < eb.Current.Value ? -1 : 1;
        }
    }
}
