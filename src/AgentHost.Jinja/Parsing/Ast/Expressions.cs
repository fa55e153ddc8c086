namespace AgentHost.Jinja.Parsing.Ast;

/// <summary>An omitted subscript, e.g. <c>a[]</c>.</summary>
internal sealed class BlankExpression : Expression
{
    public override string Kind => "BlankExpression";
}

/// <summary>obj.prop (<see cref="Computed"/> false) or obj[expr] (true).</summary>
internal sealed class MemberExpression(Expression obj, Expression property, bool computed) : Expression
{
    public Expression Object { get; } = obj;
    public Expression Property { get; } = property;
    public bool Computed { get; } = computed;
    public override string Kind => "MemberExpression";
}

internal sealed class CallExpression(Expression callee, IReadOnlyList<Expression> args) : Expression
{
    public Expression Callee { get; } = callee;
    public IReadOnlyList<Expression> Args { get; } = args;
    public override string Kind => "CallExpression";
}

internal sealed class Identifier(string name) : Expression
{
    public string Name { get; } = name;
    public override string Kind => "Identifier";
}

internal sealed class IntegerLiteral(long value) : Expression
{
    public long Value { get; } = value;
    public override string Kind => "IntegerLiteral";
}

internal sealed class FloatLiteral(double value) : Expression
{
    public double Value { get; } = value;
    public override string Kind => "FloatLiteral";
}

/// <summary>A string literal, or raw template text between tags.</summary>
internal sealed class StringLiteral(string value) : Expression
{
    public string Value { get; } = value;
    public override string Kind => "StringLiteral";
}

internal sealed class ArrayLiteral(IReadOnlyList<Expression> items) : Expression
{
    public IReadOnlyList<Expression> Items { get; } = items;
    public override string Kind => "ArrayLiteral";
}

internal sealed class TupleLiteral(IReadOnlyList<Expression> items) : Expression
{
    public IReadOnlyList<Expression> Items { get; } = items;
    public override string Kind => "TupleLiteral";
}

internal sealed class ObjectLiteral(IReadOnlyList<(Expression Key, Expression Value)> pairs) : Expression
{
    public IReadOnlyList<(Expression Key, Expression Value)> Pairs { get; } = pairs;
    public override string Kind => "ObjectLiteral";
}

/// <summary>Binary operator; <see cref="Op"/> is the operator text ("+", "and", "not in", ...).</summary>
internal sealed class BinaryExpression(string op, Expression left, Expression right) : Expression
{
    public string Op { get; } = op;
    public Expression Left { get; } = left;
    public Expression Right { get; } = right;
    public override string Kind => "BinaryExpression";
}

/// <summary>operand | filter, where the filter is an identifier or a call.</summary>
internal sealed class FilterExpression(Expression operand, Expression filter) : Expression
{
    public Expression Operand { get; } = operand;
    public Expression Filter { get; } = filter;
    public override string Kind => "FilterExpression";
}

/// <summary><c>lhs if test</c> without else: a loop filter, or undefined when the test fails.</summary>
internal sealed class SelectExpression(Expression lhs, Expression test) : Expression
{
    public Expression Lhs { get; } = lhs;
    public Expression Test { get; } = test;
    public override string Kind => "SelectExpression";
}

/// <summary>operand is [not] test, where the test is an identifier or a call.</summary>
internal sealed class TestExpression(Expression operand, bool negate, Expression test) : Expression
{
    public Expression Operand { get; } = operand;
    public bool Negate { get; } = negate;
    public Expression Test { get; } = test;
    public override string Kind => "TestExpression";
}

internal sealed class UnaryExpression(string op, Expression argument) : Expression
{
    public string Op { get; } = op;
    public Expression Argument { get; } = argument;
    public override string Kind => "UnaryExpression";
}

/// <summary>start:stop:step inside a subscript; any part may be absent.</summary>
internal sealed class SliceExpression(Expression? start, Expression? stop, Expression? step) : Expression
{
    public Expression? Start { get; } = start;
    public Expression? Stop { get; } = stop;
    public Expression? Step { get; } = step;
    public override string Kind => "SliceExpression";
}

internal sealed class KeywordArgumentExpression(Expression key, Expression value) : Expression
{
    public Expression Key { get; } = key;
    public Expression Value { get; } = value;
    public override string Kind => "KeywordArgumentExpression";
}

/// <summary>*expr in an argument list (parsed but, as in llama.cpp, not executable).</summary>
internal sealed class SpreadExpression(Expression argument) : Expression
{
    public Expression Argument { get; } = argument;
    public override string Kind => "SpreadExpression";
}

internal sealed class TernaryExpression(Expression condition, Expression whenTrue, Expression whenFalse) : Expression
{
    public Expression Condition { get; } = condition;
    public Expression WhenTrue { get; } = whenTrue;
    public Expression WhenFalse { get; } = whenFalse;
    public override string Kind => "Ternary";
}
