using System.Runtime.CompilerServices;
using AgentHost.Jinja.Parsing.Ast;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime;

/// <summary>
/// Tree-walking interpreter with llama.cpp's execution model: every node evaluates to a value,
/// and block statements return their gathered output as a string. Errors are located at the
/// innermost node that failed.
/// </summary>
internal static partial class Evaluator
{
    /// <summary>Runs a whole program and returns the rendered text parts.</summary>
    public static JinjaString Render(TemplateProgram program, Context ctx)
    {
        var output = new JinjaStringBuilder();
        try
        {
            foreach (var node in program.Body) Gather(output, Execute(node, ctx), ctx);
        }
        catch (LoopSignal signal)
        {
            throw new TemplateRuntimeException(
                $"'{(signal is BreakSignal ? "break" : "continue")}' used outside of a for loop", 0, 0);
        }
        return output.ToJinjaString();
    }

    /// <summary>Evaluates one node, converting failures into located template exceptions.</summary>
    public static Value Execute(Node node, Context ctx)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Located(node, ctx, "template nesting or recursion is too deep");
        try
        {
            return Dispatch(node, ctx);
        }
        catch (RaisedError e)
        {
            var (line, col) = ctx.State.Source.LineColumn(node.Pos);
            throw new TemplateRaisedException(e.Message, line, col);
        }
        catch (JinjaError e)
        {
            throw Located(node, ctx, e.Message);
        }
        catch (Exception e) when (e is not (TemplateException or LoopSignal))
        {
            // a defect in a builtin must still surface as a template error, never a crash
            throw Located(node, ctx, $"internal error while executing {node.Kind}: {e.Message}", e);
        }
    }

    private static TemplateRuntimeException Located(Node node, Context ctx, string reason, Exception? inner = null)
    {
        var (line, col) = ctx.State.Source.LineColumn(node.Pos);
        return new TemplateRuntimeException(reason, line, col, inner);
    }

    private static Value Dispatch(Node node, Context ctx) => node switch
    {
        StringLiteral s => new StringValue(s.Value),
        Identifier id => EvalIdentifier(id, ctx),
        MemberExpression m => EvalMember(m, ctx),
        CallExpression c => EvalCall(c, ctx),
        FilterExpression f => ApplyFilter(f.Filter, Execute(f.Operand, ctx), ctx),
        TestExpression t => EvalTest(t, ctx),
        BinaryExpression b => BinaryOperators.Evaluate(b, ctx),
        UnaryExpression u => EvalUnary(u, ctx),
        IntegerLiteral i => new IntValue(i.Value),
        FloatLiteral f => new FloatValue(f.Value),
        ArrayLiteral a => new ArrayValue(a.Items.Select(item => Execute(item, ctx)).ToList()),
        TupleLiteral t => new TupleValue(t.Items.Select(item => Execute(item, ctx)).ToList()),
        ObjectLiteral o => EvalObjectLiteral(o, ctx),
        TernaryExpression t => Execute(t.Condition, ctx).AsBool() ? Execute(t.WhenTrue, ctx) : Execute(t.WhenFalse, ctx),
        SelectExpression s => Execute(s.Test, ctx).AsBool() ? Execute(s.Lhs, ctx) : new UndefinedValue(),
        KeywordArgumentExpression k => EvalKeywordArgument(k, ctx),
        BlankExpression => new UndefinedValue(),
        SliceExpression => throw new JinjaError("a slice can only be used inside [ ]"),
        SpreadExpression => throw new JinjaError("argument unpacking (*args) is not supported"),
        IfStatement s => ExecIf(s, ctx),
        ForStatement s => ExecFor(s, ctx),
        SetStatement s => ExecSet(s, ctx),
        MacroStatement s => ExecMacro(s, ctx),
        CallStatement s => ExecCallBlock(s, ctx),
        FilterStatement s => ApplyFilter(s.Filter, ExecStatements(s.Body, ctx), ctx),
        BreakStatement => throw BreakSignal.Instance,
        ContinueStatement => throw ContinueSignal.Instance,
        CommentStatement or NoopStatement => new UndefinedValue(),
        _ => throw new JinjaError($"cannot execute {node.Kind}"),
    };

    /// <summary>Runs statements in order and gathers their output into one string value.</summary>
    private static StringValue ExecStatements(IReadOnlyList<Node> statements, Context ctx)
    {
        var output = new JinjaStringBuilder();
        foreach (var stmt in statements) Gather(output, Execute(stmt, ctx), ctx);
        return new StringValue(output.ToJinjaString());
    }

    /// <summary>
    /// Output conversion: strings and numbers print, lists print their items back to back, and
    /// none, undefined, dicts and functions print nothing (llama.cpp's gather_string_parts).
    /// </summary>
    private static void Gather(JinjaStringBuilder output, Value value, Context ctx)
    {
        switch (value)
        {
            case StringValue s:
                output.Append(s.Value);
                break;
            case IntValue or FloatValue or BoolValue:
                output.Append(value.AsString());
                break;
            case ArrayValue a:
                foreach (var item in a.Items) Gather(output, item, ctx);
                break;
        }
        if (output.CharLength > ctx.State.Limits.MaxStringLength)
            throw new JinjaError($"rendered output exceeds {ctx.State.Limits.MaxStringLength} characters");
    }
}
