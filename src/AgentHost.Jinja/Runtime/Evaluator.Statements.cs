using AgentHost.Jinja.Parsing.Ast;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime;

// Statements: if, for, set, macro, call blocks.
internal static partial class Evaluator
{
    private static Value ExecIf(IfStatement node, Context ctx)
    {
        var branch = Execute(node.Test, ctx).AsBool() ? node.Body : node.Alternate;
        // output is built locally: a break/continue inside discards it, as in llama.cpp
        return ExecStatements(branch, ctx);
    }

    private static Value ExecFor(ForStatement node, Context ctx)
    {
        var scope = new Context(ctx);
        var select = node.Iterable as SelectExpression;
        var iterable = Execute(select?.Lhs ?? node.Iterable, scope);
        var stats = ctx.State.CollectStats;
        if (stats)
        {
            Value.MarkUsed(iterable);
            iterable.AddOp("array_access");
        }

        if (iterable.IsUndefined) iterable = new ArrayValue();
        List<Value> items;
        switch (iterable)
        {
            case ObjectValue o:
                items = o.Entries.Select(e => (Value)new TupleValue([e.Key, e.Value])).ToList();
                if (stats) iterable.AddOp("object_access");
                break;
            case ArrayValue a:
                items = [.. a.Items];
                break;
            default:
                throw new JinjaError($"Expected iterable or object type in for loop: got {iterable.TypeName}");
        }

        var filtered = new List<(Value Current, Action<Context> Bind)>();
        foreach (var item in items)
        {
            var current = item;
            Action<Context> bind;
            switch (node.LoopVar)
            {
                case Identifier id when iterable is ObjectValue:
                    // iterating a dict binds its keys
                    current = item.AsArray()[0];
                    bind = c => c.Set(id.Name, item.AsArray()[0]);
                    break;
                case Identifier id:
                    bind = c => c.Set(id.Name, item);
                    break;
                case TupleLiteral tuple:
                    if (current is not ArrayValue unpacked)
                        throw new JinjaError($"Cannot unpack non-iterable type: {current.TypeName}");
                    if (tuple.Items.Count != unpacked.Items.Count)
                        throw new JinjaError($"Too {(tuple.Items.Count > unpacked.Items.Count ? "few" : "many")} items to unpack");
                    bind = c =>
                    {
                        for (var j = 0; j < tuple.Items.Count; j++)
                        {
                            if (tuple.Items[j] is not Identifier name)
                                throw new JinjaError($"Cannot unpack non-identifier type: {tuple.Items[j].Kind}");
                            c.Set(name.Name, unpacked.Items[j]);
                        }
                    };
                    break;
                default:
                    throw new JinjaError($"Invalid loop variable(s): {node.LoopVar.Kind}");
            }

            if (select is not null)
            {
                // the loop filter sees the loop variable but not the loop object
                var filterScope = new Context(scope);
                bind(filterScope);
                if (!Execute(select.Test, filterScope).AsBool()) continue;
            }
            filtered.Add((current, bind));
        }

        var output = new JinjaStringBuilder();
        var noIteration = true;
        for (var i = 0; i < filtered.Count; i++)
        {
            if (++ctx.State.LoopIterations > ctx.State.Limits.MaxLoopIterations)
                throw new JinjaError($"for loops exceeded {ctx.State.Limits.MaxLoopIterations} iterations in total");
            scope.Set("loop", LoopObject(filtered, i));
            filtered[i].Bind(scope);
            try
            {
                foreach (var stmt in node.Body) Gather(output, Execute(stmt, scope), ctx);
            }
            catch (ContinueSignal)
            {
                continue; // llama.cpp skips the "iterated" mark here, so the else block may still run
            }
            catch (BreakSignal)
            {
                break;
            }
            noIteration = false;
        }

        if (noIteration)
            foreach (var stmt in node.DefaultBlock) Gather(output, Execute(stmt, ctx), ctx);
        return new StringValue(output.ToJinjaString());
    }

    private static ObjectValue LoopObject(List<(Value Current, Action<Context> Bind)> items, int i)
    {
        var n = items.Count;
        var loop = new ObjectValue { HasBuiltins = false };
        loop.Set("index", new IntValue(i + 1));
        loop.Set("index0", new IntValue(i));
        loop.Set("revindex", new IntValue(n - i));
        loop.Set("revindex0", new IntValue(n - i - 1));
        loop.Set("first", BoolValue.Of(i == 0));
        loop.Set("last", BoolValue.Of(i == n - 1));
        loop.Set("length", new IntValue(n));
        loop.Set("previtem", i > 0 ? items[i - 1].Current : new UndefinedValue("previtem"));
        loop.Set("nextitem", i < n - 1 ? items[i + 1].Current : new UndefinedValue("nextitem"));
        return loop;
    }

    private static Value ExecSet(SetStatement node, Context ctx)
    {
        Value rhs = node.Value is not null ? Execute(node.Value, ctx) : ExecStatements(node.Body, ctx);
        switch (node.Assignee)
        {
            case Identifier id:
                ctx.Set(id.Name, rhs);
                break;
            case TupleLiteral tuple:
            {
                if (rhs is not ArrayValue values) throw new JinjaError($"Cannot unpack non-iterable type in set: {rhs.TypeName}");
                if (values.Items.Count != tuple.Items.Count)
                    throw new JinjaError($"Too {(tuple.Items.Count > values.Items.Count ? "few" : "many")} items to unpack in set");
                for (var i = 0; i < tuple.Items.Count; i++)
                {
                    if (tuple.Items[i] is not Identifier name)
                        throw new JinjaError($"Cannot unpack to non-identifier in set: {tuple.Items[i].Kind}");
                    ctx.Set(name.Name, values.Items[i]);
                }
                break;
            }
            case MemberExpression member:
            {
                // {% set ns.attr = value %}
                if (member.Computed) throw new JinjaError("Cannot assign to computed member");
                if (member.Property is not Identifier prop) throw new JinjaError("Cannot assign to member with non-identifier property");
                if (Execute(member.Object, ctx) is not ObjectValue target) throw new JinjaError("Cannot assign to member of non-object");
                target.Set(prop.Name, rhs);
                break;
            }
            default:
                throw new JinjaError($"Invalid LHS inside assignment expression: {node.Assignee.Kind}");
        }
        return new UndefinedValue();
    }

    private static Value ExecMacro(MacroStatement node, Context ctx)
    {
        if (node.Name is not Identifier nameId) throw new JinjaError("Macro name must be an identifier");
        var name = nameId.Name;
        Value Invoke(FuncArgs args)
        {
            var state = args.Ctx.State;
            if (++state.MacroDepth > state.Limits.MaxMacroDepth)
            {
                state.MacroDepth--;
                throw new JinjaError($"macro '{name}' exceeded the maximum call depth of {state.Limits.MaxMacroDepth} (runaway recursion?)");
            }
            try
            {
                // macros see the caller's scope (dynamic scoping, as llama.cpp)
                var macroCtx = new Context(args.Ctx);
                BindParameters(name, node.Args, args, macroCtx);
                return ExecStatements(node.Body, macroCtx);
            }
            finally
            {
                state.MacroDepth--;
            }
        }
        ctx.Set(name, new FunctionValue(name, Invoke));
        return new UndefinedValue();
    }

    /// <summary>Binds declared parameters from positional/keyword arguments; defaults evaluate in the caller's scope.</summary>
    private static void BindParameters(string name, IReadOnlyList<Expression> parameters, FuncArgs args, Context target)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (i < args.Count)
            {
                var paramName = parameters[i] switch
                {
                    Identifier id => id.Name,
                    KeywordArgumentExpression { Key: Identifier key } => key.Name,
                    KeywordArgumentExpression => throw new JinjaError($"Keyword argument key must be an identifier in '{name}'"),
                    _ => throw new JinjaError($"Invalid parameter type in '{name}'"),
                };
                target.Set(paramName, args.GetKwargOrPos(paramName, i));
            }
            else if (parameters[i] is KeywordArgumentExpression kw)
            {
                if (kw.Key is not Identifier key) throw new JinjaError($"Keyword argument key must be an identifier in '{name}'");
                target.Set(key.Name, Execute(kw.Value, args.Ctx));
            }
            else
            {
                throw new JinjaError($"Not enough arguments provided to '{name}'");
            }
        }
    }

    private static Value ExecCallBlock(CallStatement node, Context ctx)
    {
        if (Execute(node.Call.Callee, ctx) is not FunctionValue callee)
            throw new JinjaError("Callee is not a function");
        var callerCtx = new Context(ctx);
        Value Caller(FuncArgs args)
        {
            var blockCtx = new Context(callerCtx);
            BindParameters("caller", node.CallerArgs, args, blockCtx);
            return ExecStatements(node.Body, blockCtx);
        }
        var callCtx = new Context(ctx);
        callCtx.Set("caller", new FunctionValue("caller", Caller));
        var args = new FuncArgs(callCtx);
        foreach (var arg in node.Call.Args) args.Add(Execute(arg, ctx));
        return callee.Invoke(args);
    }
}
