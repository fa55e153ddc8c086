using AgentHost.Jinja.Parsing.Ast;
using AgentHost.Jinja.Runtime.Builtins;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime;

/// <summary>
/// Binary operators with llama.cpp's rules, checked in its order: short-circuit and/or, ==/!=,
/// undefined/none handling (concatenation with a string treats them as ""), numbers, lists,
/// string concatenation (+ or ~ with any string side), string repetition, membership.
/// </summary>
internal static class BinaryOperators
{
    public static Value Evaluate(BinaryExpression node, Context ctx)
    {
        var op = node.Op;
        var left = Evaluator.Execute(node.Left, ctx);
        if (op == "and") return left.AsBool() ? Evaluator.Execute(node.Right, ctx) : left;
        if (op == "or") return left.AsBool() ? left : Evaluator.Execute(node.Right, ctx);

        var right = Evaluator.Execute(node.Right, ctx);
        if (op == "==") return BoolValue.Of(left.Equivalent(right));
        if (op == "!=") return BoolValue.Of(!left.Equivalent(right));

        var isMembership = op is "in" or "not in";
        if (left.IsUndefined || right.IsUndefined)
        {
            // anything "in" undefined is false
            if (right.IsUndefined && isMembership) return BoolValue.Of(op == "not in");
            if (op is "+" or "~" && TryConcatWithNull(left, right, ctx) is { } joined) return joined;
            throw new JinjaError($"Cannot perform operation {op} on undefined values");
        }
        if (left.IsNone || right.IsNone)
        {
            if (!right.IsNone && isMembership) return Membership(op, left, right);
            if (op is "+" or "~" && TryConcatWithNull(left, right, ctx) is { } joined) return joined;
            throw new JinjaError("Cannot perform operation on null values");
        }

        if (left is IntValue or FloatValue && right is IntValue or FloatValue)
        {
            var result = Arithmetic(op, left, right);
            if (result is not null) return result;
        }

        if (left is ArrayValue leftArray && right is ArrayValue rightArray)
        {
            if (op == "+") return new ArrayValue([.. leftArray.Items, .. rightArray.Items]);
        }
        else if (right is ArrayValue && isMembership)
        {
            return Membership(op, left, right);
        }

        if ((left is StringValue || right is StringValue) && op is "~" or "+")
            return new StringValue(Checked(left.AsString().Append(right.AsString()), ctx));

        if (op == "*" && (left is StringValue && right is IntValue || left is IntValue && right is StringValue))
        {
            var text = left is StringValue ? left.AsString() : right.AsString();
            var count = right is IntValue ? right.AsInt() : left.AsInt();
            if (count <= 0) return new StringValue("");
            if (text.CharLength * count > ctx.State.Limits.MaxStringLength)
                throw new JinjaError($"string repetition would exceed {ctx.State.Limits.MaxStringLength} characters");
            var repeated = new JinjaStringBuilder();
            for (var i = 0; i < count; i++) repeated.Append(text);
            return new StringValue(repeated.ToJinjaString());
        }

        if (isMembership && (left is StringValue && right is StringValue || right is ObjectValue))
            return Membership(op, left, right);

        throw new JinjaError($"Unknown operator \"{op}\" between {left.TypeName} and {right.TypeName}");
    }

    private static Value Membership(string op, Value left, Value right)
    {
        var member = Tests.IsIn(left, right);
        return BoolValue.Of(op == "in" ? member : !member);
    }

    private static Value? TryConcatWithNull(Value left, Value right, Context ctx)
    {
        var leftNull = left.IsNone || left.IsUndefined;
        var rightNull = right.IsNone || right.IsUndefined;
        if (!(leftNull && right is StringValue) && !(rightNull && left is StringValue)) return null;
        var l = leftNull ? JinjaString.Empty : left.AsString();
        var r = rightNull ? JinjaString.Empty : right.AsString();
        return new StringValue(Checked(l.Append(r), ctx));
    }

    private static JinjaString Checked(JinjaString s, Context ctx) =>
        s.CharLength > ctx.State.Limits.MaxStringLength
            ? throw new JinjaError($"string exceeds {ctx.State.Limits.MaxStringLength} characters")
            : s;

    /// <summary>Numeric operators; int results are computed in double and truncated, as llama.cpp does.</summary>
    private static Value? Arithmetic(string op, Value left, Value right)
    {
        var a = left.AsFloat();
        var b = right.AsFloat();
        var isFloat = left is FloatValue || right is FloatValue;
        switch (op)
        {
            case "+" or "-" or "*":
            {
                var r = op == "+" ? a + b : op == "-" ? a - b : a * b;
                return isFloat ? new FloatValue(r) : new IntValue(NumberFormat.CInt64(r));
            }
            case "/":
                return new FloatValue(a / b);
            case "%":
            {
                var rem = a % b; // C fmod: the sign follows the dividend
                return isFloat ? new FloatValue(rem) : new IntValue(NumberFormat.CInt64(rem));
            }
            case "<": return BoolValue.Of(a < b);
            case ">": return BoolValue.Of(a > b);
            case ">=": return BoolValue.Of(a >= b);
            case "<=": return BoolValue.Of(a <= b);
            default: return null;
        }
    }
}
