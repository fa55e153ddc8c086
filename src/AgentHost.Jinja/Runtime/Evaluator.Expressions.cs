using AgentHost.Jinja.Parsing.Ast;
using AgentHost.Jinja.Runtime.Builtins;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime;

// Expressions: names, attribute/item access, calls, filters and tests.
internal static partial class Evaluator
{
    private static readonly HashSet<string> StringCoercingFilters =
        ["capitalize", "lower", "replace", "strip", "title", "upper", "wordcount"];

    private static Value EvalIdentifier(Identifier node, Context ctx)
    {
        var value = ctx.Get(node.Name);
        if (!value.IsUndefined)
        {
            if (ctx.State.CollectStats) Value.MarkUsed(value);
            return value;
        }
        return GlobalFunctions.Table.TryGetValue(node.Name, out var fn)
            ? new FunctionValue(node.Name, fn)
            : new UndefinedValue(node.Name);
    }

    private static Value EvalObjectLiteral(ObjectLiteral node, Context ctx)
    {
        var obj = new ObjectValue();
        foreach (var (keyExpr, valueExpr) in node.Pairs)
        {
            var key = Execute(keyExpr, ctx);
            obj.Set(key, Execute(valueExpr, ctx));
        }
        return obj;
    }

    private static Value EvalKeywordArgument(KeywordArgumentExpression node, Context ctx)
    {
        if (node.Key is not Identifier key) throw new JinjaError("Keyword argument key must be identifiers");
        return new KwargValue(key.Name, Execute(node.Value, ctx));
    }

    private static Value EvalUnary(UnaryExpression node, Context ctx)
    {
        var operand = Execute(node.Argument, ctx);
        return node.Op switch
        {
            "not" => BoolValue.Of(!operand.AsBool()),
            "-" => operand switch
            {
                IntValue i => new IntValue(-i.ValInt),
                FloatValue f => new FloatValue(-f.ValFlt),
                _ => throw new JinjaError("Unary - operator requires numeric operand"),
            },
            "+" => operand is IntValue or FloatValue ? operand : throw new JinjaError("Unary + operator requires numeric operand"),
            _ => throw new JinjaError($"Unknown unary operator '{node.Op}'"),
        };
    }

    private static Value EvalCall(CallExpression node, Context ctx)
    {
        // llama.cpp evaluates the arguments before the callee
        var args = new FuncArgs(ctx);
        foreach (var arg in node.Args) args.Add(Execute(arg, ctx));
        var callee = Execute(node.Callee, ctx);
        if (callee is not FunctionValue fn) throw new JinjaError($"Callee is not a function: got {callee.TypeName}");
        return fn.Invoke(args);
    }

    private static Value EvalTest(TestExpression node, Context ctx)
    {
        var input = Execute(node.Operand, ctx);
        var args = new FuncArgs(ctx);
        args.Add(input);
        string testName;
        switch (node.Test)
        {
            case Identifier id:
                testName = id.Name;
                break;
            case CallExpression { Callee: Identifier id } call:
                testName = id.Name;
                foreach (var arg in call.Args) args.Add(Execute(arg, ctx));
                break;
            case CallExpression:
                throw new JinjaError("Test callee must be an identifier");
            default:
                throw new JinjaError("Invalid test expression");
        }
        if (!GlobalFunctions.Table.TryGetValue(Tests.Prefix + testName, out var test))
            throw new JinjaError($"Unknown test '{testName}'");
        if (ctx.State.CollectStats)
        {
            Value.MarkUsed(input);
            input.AddOp(Tests.Prefix + testName);
        }
        var result = test(args);
        return node.Negate ? BoolValue.Of(!result.AsBool()) : result;
    }

    /// <summary>Applies "| name" or "| name(args)": the filter is looked up on the input's type.</summary>
    private static Value ApplyFilter(Expression filter, Value input, Context ctx)
    {
        static string Alias(string id) => id switch
        {
            "count" => "length",
            "d" => "default",
            "e" => "escape",
            "trim" => "strip",
            _ => id,
        };

        switch (filter)
        {
            case Identifier id:
            {
                var name = Alias(id.Name);
                if (!input.IsUndefined && input is not StringValue && StringCoercingFilters.Contains(name))
                    input = new StringValue(input.AsString());
                return BindBuiltin(ctx, name, input).Invoke(new FuncArgs(ctx));
            }
            case CallExpression call:
            {
                if (call.Callee is not Identifier id) throw new JinjaError("Filter callee must be an identifier");
                var name = Alias(id.Name);
                var args = new FuncArgs(ctx);
                foreach (var arg in call.Args) args.Add(Execute(arg, ctx));
                return BindBuiltin(ctx, name, input).Invoke(args);
            }
            default:
                throw new JinjaError("Invalid filter expression");
        }
    }

    private static FunctionValue BindBuiltin(Context ctx, string name, Value input) =>
        (FunctionValue)TryBuiltin(ctx, name, input, undefinedOnMissing: false);

    /// <summary>Binds the builtin <paramref name="name"/> of <paramref name="input"/>'s type to it.</summary>
    private static Value TryBuiltin(Context ctx, string name, Value input, bool undefinedOnMissing)
    {
        if (ctx.State.CollectStats)
        {
            Value.MarkUsed(input);
            input.AddOp(name);
        }
        if (input.Builtins.TryGetValue(name, out var fn)) return new FunctionValue(name, fn, input);
        if (undefinedOnMissing) return new UndefinedValue(name);
        throw new JinjaError($"Unknown (built-in) filter '{name}' for type {input.TypeName}");
    }

    private static Value EvalMember(MemberExpression node, Context ctx)
    {
        var obj = Execute(node.Object, ctx);
        Value property;
        if (node.Computed)
        {
            if (node.Property is SliceExpression slice) return EvalSlice(slice, obj, ctx);
            property = Execute(node.Property, ctx);
        }
        else if (node.Property is IntegerLiteral index)
        {
            if (index.Value < 0) throw new JinjaError("Static member property cannot be negative");
            property = new IntValue(index.Value);
        }
        else
        {
            if (node.Property is not Identifier id) throw new JinjaError("Static member property must be an identifier");
            property = new StringValue(id.Name);
            // obj.name prefers a builtin method over a key of the same name (obj['name'] gets the key)
            var method = TryBuiltin(ctx, id.Name, obj, undefinedOnMissing: true);
            if (!method.IsUndefined) return method;
        }

        Value result = new UndefinedValue("object_property");
        if (property.IsUndefined) return result;
        if (!property.IsHashable) throw new JinjaError($"Type: {property.TypeName} is not allowed as object key");
        if (obj.IsUndefined) return result;

        switch (obj)
        {
            case ObjectValue o:
            {
                var key = property.AsString().Str;
                result = o.Get(property, result);
                if (result.IsUndefined) result = TryBuiltin(ctx, key, obj, undefinedOnMissing: true);
                break;
            }
            case ArrayValue or StringValue:
                switch (property)
                {
                    case IntValue i:
                        if (obj is ArrayValue a)
                        {
                            var idx = i.ValInt < 0 ? i.ValInt + a.Items.Count : i.ValInt;
                            if (idx >= 0 && idx < a.Items.Count) result = a.Items[(int)idx];
                        }
                        else if (StringBuiltins.Utf8ByteAt(((StringValue)obj).Str, i.ValInt) is { } ch)
                        {
                            result = new StringValue(ch);
                        }
                        break;
                    case StringValue s:
                        result = TryBuiltin(ctx, s.Str, obj, undefinedOnMissing: true);
                        break;
                    default:
                        throw new JinjaError($"Cannot access property with non-string/non-number: got {property.TypeName}");
                }
                break;
            default:
                if (property is not StringValue name) throw new JinjaError($"Cannot access property with non-string: got {property.TypeName}");
                result = TryBuiltin(ctx, name.Str, obj, undefinedOnMissing: true);
                break;
        }

        if (ctx.State.CollectStats)
        {
            Value.MarkUsed(result);
            Value.MarkUsed(obj);
            Value.MarkUsed(property);
            if (property is IntValue) obj.AddOp("array_access");
            else if (property is StringValue) obj.AddOp("object_access");
        }
        return result;
    }

    /// <summary>obj[start:stop:step] becomes obj.slice(start, stop, step) with Python defaults.</summary>
    private static Value EvalSlice(SliceExpression slice, Value obj, Context ctx)
    {
        long size = obj switch
        {
            ArrayValue a => a.Items.Count,
            StringValue s => s.Value.Length,
            _ => 0,
        };
        var step = slice.Step is not null ? Execute(slice.Step, ctx) : new IntValue(1);
        var start = slice.Start is not null ? Execute(slice.Start, ctx) : new IntValue(step.AsInt() < 0 ? size - 1 : 0);
        var stop = slice.Stop is not null ? Execute(slice.Stop, ctx) : new IntValue(step.AsInt() < 0 ? -1 : size);
        var fn = BindBuiltin(ctx, "slice", obj);
        var args = new FuncArgs(ctx);
        args.Add(start);
        args.Add(stop);
        args.Add(step);
        return fn.Invoke(args);
    }
}
