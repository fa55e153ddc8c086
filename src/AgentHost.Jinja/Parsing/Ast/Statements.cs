namespace AgentHost.Jinja.Parsing.Ast;

internal sealed class IfStatement(Expression test, IReadOnlyList<Node> body, IReadOnlyList<Node> alternate) : Node
{
    public Expression Test { get; } = test;
    public IReadOnlyList<Node> Body { get; } = body;
    public IReadOnlyList<Node> Alternate { get; } = alternate;
    public override string Kind => "If";
}

/// <summary>for loop; <see cref="LoopVar"/> is an identifier or a tuple of identifiers.</summary>
internal sealed class ForStatement(Expression loopVar, Expression iterable, IReadOnlyList<Node> body, IReadOnlyList<Node> defaultBlock) : Node
{
    public Expression LoopVar { get; } = loopVar;
    public Expression Iterable { get; } = iterable;
    public IReadOnlyList<Node> Body { get; } = body;
    public IReadOnlyList<Node> DefaultBlock { get; } = defaultBlock;
    public override string Kind => "For";
}

internal sealed class BreakStatement : Node
{
    public override string Kind => "Break";
}

internal sealed class ContinueStatement : Node
{
    public override string Kind => "Continue";
}

/// <summary>Placeholder for ignored tags ({% generation %} / {% endgeneration %}).</summary>
internal sealed class NoopStatement : Node
{
    public override string Kind => "Noop";
}

/// <summary>set statement: <see cref="Value"/> is null for the block form, which renders <see cref="Body"/>.</summary>
internal sealed class SetStatement(Expression assignee, Expression? value, IReadOnlyList<Node> body) : Node
{
    public Expression Assignee { get; } = assignee;
    public Expression? Value { get; } = value;
    public IReadOnlyList<Node> Body { get; } = body;
    public override string Kind => "Set";
}

internal sealed class MacroStatement(Expression name, IReadOnlyList<Expression> args, IReadOnlyList<Node> body) : Node
{
    public Expression Name { get; } = name;
    public IReadOnlyList<Expression> Args { get; } = args;
    public IReadOnlyList<Node> Body { get; } = body;
    public override string Kind => "Macro";
}

internal sealed class CommentStatement(string text) : Node
{
    public string Text { get; } = text;
    public override string Kind => "Comment";
}

internal sealed class CallStatement(CallExpression call, IReadOnlyList<Expression> callerArgs, IReadOnlyList<Node> body) : Node
{
    public CallExpression Call { get; } = call;
    public IReadOnlyList<Expression> CallerArgs { get; } = callerArgs;
    public IReadOnlyList<Node> Body { get; } = body;
    public override string Kind => "CallStatement";
}

/// <summary>{% filter f %}...{% endfilter %}; <see cref="Filter"/> is an identifier or a call.</summary>
internal sealed class FilterStatement(Expression filter, IReadOnlyList<Node> body) : Node
{
    public Expression Filter { get; } = filter;
    public IReadOnlyList<Node> Body { get; } = body;
    public override string Kind => "FilterStatement";
}
