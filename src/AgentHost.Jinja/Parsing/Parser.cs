using System.Globalization;
using System.Runtime.CompilerServices;
using AgentHost.Jinja.Lexing;
using AgentHost.Jinja.Parsing.Ast;

namespace AgentHost.Jinja.Parsing;

/// <summary>
/// Recursive-descent parser producing the same tree shape (and operator precedence) as
/// llama.cpp's jinja parser: ternary/select &lt; or &lt; and &lt; not &lt; comparison/in &lt; + - ~
/// &lt; * / % &lt; is-tests &lt; filters &lt; unary &lt; call/member &lt; primary.
/// </summary>
internal sealed class Parser
{
    /// <summary>Nesting limit for blocks and sub-expressions; real templates stay far below it.</summary>
    public const int MaxNestingDepth = 200;

    private readonly List<Token> _tokens;
    private readonly SourceText _source;
    private int _current;
    private int _depth;

    private Parser(List<Token> tokens, SourceText source)
    {
        _tokens = tokens;
        _source = source;
    }

    public static TemplateProgram Parse(List<Token> tokens, SourceText source)
    {
        var parser = new Parser(tokens, source);
        var body = new List<Node>();
        while (parser._current < tokens.Count) body.Add(parser.ParseAny());
        return new TemplateProgram(body);
    }

    // ---- token helpers ----

    private Token Peek(int offset = 0) =>
        _current + offset < _tokens.Count ? _tokens[_current + offset] : new Token(TokenType.Eof, "", _source.Text.Length);

    private Token Next()
    {
        if (_current >= _tokens.Count) throw Error("unexpected end of template", _source.Text.Length);
        return _tokens[_current++];
    }

    private bool Is(TokenType type) => Peek().Type == type;

    private bool IsIdentifier(string name) => Peek().Type == TokenType.Identifier && Peek().Value == name;

    private bool IsStatement(params string[] names) =>
        Peek().Type == TokenType.OpenStatement && Peek(1).Type == TokenType.Identifier && names.Contains(Peek(1).Value);

    private Token Expect(TokenType type, string what)
    {
        var t = Peek();
        if (t.Type != type) throw Error($"expected {what} but found {Describe(t)}", t.Pos);
        _current++;
        return t;
    }

    private void ExpectIdentifier(string name)
    {
        var t = Peek();
        if (t.Type != TokenType.Identifier || t.Value != name) throw Error($"expected '{name}' but found {Describe(t)}", t.Pos);
        _current++;
    }

    private static string Describe(Token t) => t.Type switch
    {
        TokenType.Eof => "end of template",
        TokenType.Text => "template text",
        _ => $"'{t.Value}'",
    };

    private TemplateSyntaxException Error(string reason, int pos)
    {
        var (line, col) = _source.LineColumn(pos);
        return new TemplateSyntaxException(reason, line, col);
    }

    private T Mk<T>(T node, int tokenIndex) where T : Node
    {
        node.Pos = tokenIndex < _tokens.Count ? _tokens[tokenIndex].Pos : _source.Text.Length;
        return node;
    }

    private void Enter()
    {
        if (++_depth > MaxNestingDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error($"template nesting is deeper than {MaxNestingDepth} levels", Peek().Pos);
    }

    private void Leave() => _depth--;

    // ---- statements ----

    private Node ParseAny()
    {
        var start = _current;
        var t = Peek();
        switch (t.Type)
        {
            case TokenType.Comment:
                return Mk(new CommentStatement(Next().Value), start);
            case TokenType.Text:
                return Mk(new StringLiteral(Next().Value), start);
            case TokenType.OpenStatement:
                return ParseJinjaStatement();
            case TokenType.OpenExpression:
                Next();
                var expr = ParseExpression();
                Expect(TokenType.CloseExpression, "'}}'");
                return expr;
            default:
                throw Error($"unexpected {Describe(t)}", t.Pos);
        }
    }

    /// <summary>Parses nodes until one of <paramref name="ends"/> is the next tag; reports the unclosed opener at EOF.</summary>
    private List<Node> ParseBlockUntil(int openerPos, string opener, params string[] ends)
    {
        var body = new List<Node>();
        Enter();
        while (!IsStatement(ends))
        {
            if (_current >= _tokens.Count)
                throw Error($"unexpected end of template: '{{% {opener} %}}' is missing '{{% {ends[^1]} %}}'", openerPos);
            if (Peek().Type == TokenType.OpenStatement && Peek(1).Type == TokenType.Identifier && IsClosingTag(Peek(1).Value))
                throw Error($"unexpected '{{% {Peek(1).Value} %}}' inside '{{% {opener} %}}' (expected '{{% {ends[^1]} %}}')", Peek().Pos);
            body.Add(ParseAny());
        }
        Leave();
        return body;
    }

    // Tags that only close or continue a block; meeting an unexpected one is always an error.
    private static bool IsClosingTag(string name) =>
        name is "else" or "elif" || (name.StartsWith("end", StringComparison.Ordinal) && name != "endgeneration");

    private void ExpectEndTag(string name)
    {
        Expect(TokenType.OpenStatement, "'{%'");
        ExpectIdentifier(name);
        Expect(TokenType.CloseStatement, "'%}'");
    }

    private Node ParseJinjaStatement()
    {
        Expect(TokenType.OpenStatement, "'{%'");
        var nameToken = Peek();
        if (nameToken.Type != TokenType.Identifier) throw Error($"expected a statement name but found {Describe(nameToken)}", nameToken.Pos);
        var start = _current;
        var name = Next().Value;
        var openerPos = nameToken.Pos;

        switch (name)
        {
            case "set":
                return ParseSetStatement(start, openerPos);
            case "if":
            {
                var result = ParseIfStatement(start, openerPos);
                ExpectEndTag("endif");
                return result;
            }
            case "macro":
            {
                var macroName = ParsePrimaryExpression();
                var args = ParseArgs();
                Expect(TokenType.CloseStatement, "'%}'");
                var body = ParseBlockUntil(openerPos, "macro", "endmacro");
                ExpectEndTag("endmacro");
                return Mk(new MacroStatement(macroName, args, body), start);
            }
            case "for":
            {
                var result = ParseForStatement(start, openerPos);
                ExpectEndTag("endfor");
                return result;
            }
            case "break":
                Expect(TokenType.CloseStatement, "'%}'");
                return Mk(new BreakStatement(), start);
            case "continue":
                Expect(TokenType.CloseStatement, "'%}'");
                return Mk(new ContinueStatement(), start);
            case "call":
            {
                IReadOnlyList<Expression> callerArgs = Is(TokenType.OpenParen) ? ParseArgs() : [];
                var callee = ParsePrimaryExpression();
                if (callee is not Identifier) throw Error("'call' expects a macro name", callee.Pos);
                var callArgs = ParseArgs();
                Expect(TokenType.CloseStatement, "'%}'");
                var body = ParseBlockUntil(openerPos, "call", "endcall");
                ExpectEndTag("endcall");
                var callExpr = Mk(new CallExpression(callee, callArgs), start);
                return Mk(new CallStatement(callExpr, callerArgs, body), start);
            }
            case "filter":
            {
                var filter = ParsePrimaryExpression();
                if (filter is Identifier && Is(TokenType.OpenParen)) filter = ParseCallExpression(filter);
                Expect(TokenType.CloseStatement, "'%}'");
                var body = ParseBlockUntil(openerPos, "filter", "endfilter");
                ExpectEndTag("endfilter");
                return Mk(new FilterStatement(filter, body), start);
            }
            case "generation":
            case "endgeneration":
                // transformers-only markers: llama.cpp ignores them and skips the next token unchecked
                _current++;
                return Mk(new NoopStatement(), start);
            default:
                throw Error($"unknown statement '{name}'", openerPos);
        }
    }

    private Node ParseSetStatement(int start, int openerPos)
    {
        var left = ParseExpressionSequence();
        Expression? value = null;
        List<Node> body = [];
        if (Is(TokenType.Equals))
        {
            _current++;
            value = ParseExpressionSequence();
        }
        else
        {
            Expect(TokenType.CloseStatement, "'=' or '%}'");
            body = ParseBlockUntil(openerPos, "set", "endset");
            Expect(TokenType.OpenStatement, "'{%'");
            ExpectIdentifier("endset");
        }
        Expect(TokenType.CloseStatement, "'%}'");
        return Mk(new SetStatement(left, value, body), start);
    }

    private Node ParseIfStatement(int start, int openerPos)
    {
        var test = ParseExpression();
        Expect(TokenType.CloseStatement, "'%}'");
        var body = ParseBlockUntil(openerPos, "if", "elif", "else", "endif");
        var alternate = new List<Node>();
        if (IsStatement("elif"))
        {
            var elifStart = _current;
            var elifPos = Peek(1).Pos;
            _current += 2;
            alternate.Add(ParseIfStatement(elifStart, elifPos));
        }
        else if (IsStatement("else"))
        {
            _current += 2;
            Expect(TokenType.CloseStatement, "'%}'");
            alternate = ParseBlockUntil(openerPos, "if", "endif");
        }
        return Mk(new IfStatement(test, body, alternate), start);
    }

    private Node ParseForStatement(int start, int openerPos)
    {
        var loopVar = ParseExpressionSequence(primary: true);
        if (!IsIdentifier("in")) throw Error($"expected 'in' in for loop but found {Describe(Peek())}", Peek().Pos);
        _current++;
        var iterable = ParseExpression();
        Expect(TokenType.CloseStatement, "'%}'");
        var body = ParseBlockUntil(openerPos, "for", "else", "endfor");
        var alternate = new List<Node>();
        if (IsStatement("else"))
        {
            _current += 2;
            Expect(TokenType.CloseStatement, "'%}'");
            alternate = ParseBlockUntil(openerPos, "for", "endfor");
        }
        return Mk(new ForStatement(loopVar, iterable, body, alternate), start);
    }

    // ---- expressions ----

    private Expression ParseExpressionSequence(bool primary = false)
    {
        var start = _current;
        var exprs = new List<Expression> { primary ? ParsePrimaryExpression() : ParseExpression() };
        var isTuple = Is(TokenType.Comma);
        while (Is(TokenType.Comma))
        {
            _current++;
            exprs.Add(primary ? ParsePrimaryExpression() : ParseExpression());
        }
        return isTuple ? Mk(new TupleLiteral(exprs), start) : exprs[0];
    }

    private Expression ParseExpression()
    {
        Enter();
        var result = ParseIfExpression();
        Leave();
        return result;
    }

    private Expression ParseIfExpression()
    {
        var a = ParseLogicalOr();
        if (!IsIdentifier("if")) return a;
        var start = _current;
        _current++;
        var test = ParseLogicalOr();
        if (IsIdentifier("else"))
        {
            var elseStart = _current;
            _current++;
            Enter();
            var whenFalse = ParseIfExpression();
            Leave();
            return Mk(new TernaryExpression(test, a, whenFalse), elseStart);
        }
        return Mk(new SelectExpression(a, test), start);
    }

    private Expression ParseLogicalOr()
    {
        var left = ParseLogicalAnd();
        while (IsIdentifier("or"))
        {
            var start = _current;
            var op = Next().Value;
            left = Mk(new BinaryExpression(op, left, ParseLogicalAnd()), start);
        }
        return left;
    }

    private Expression ParseLogicalAnd()
    {
        var left = ParseLogicalNegation();
        while (IsIdentifier("and"))
        {
            var start = _current;
            var op = Next().Value;
            left = Mk(new BinaryExpression(op, left, ParseLogicalNegation()), start);
        }
        return left;
    }

    private Expression ParseLogicalNegation()
    {
        if (!IsIdentifier("not")) return ParseComparison();
        var start = _current;
        var op = Next().Value;
        Enter();
        var argument = ParseLogicalNegation();
        Leave();
        return Mk(new UnaryExpression(op, argument), start);
    }

    private Expression ParseComparison()
    {
        // membership shares the comparison precedence level, left-associative
        var left = ParseAdditive();
        while (true)
        {
            var start = _current;
            string op;
            if (IsIdentifier("not") && Peek(1).Type == TokenType.Identifier && Peek(1).Value == "in")
            {
                op = "not in";
                _current += 2;
            }
            else if (IsIdentifier("in") || Is(TokenType.ComparisonBinaryOperator))
            {
                op = Next().Value;
            }
            else break;
            left = Mk(new BinaryExpression(op, left, ParseAdditive()), start);
        }
        return left;
    }

    private Expression ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Is(TokenType.AdditiveBinaryOperator))
        {
            var start = _current;
            var op = Next().Value;
            left = Mk(new BinaryExpression(op, left, ParseMultiplicative()), start);
        }
        return left;
    }

    private Expression ParseMultiplicative()
    {
        var left = ParseTest();
        while (Is(TokenType.MultiplicativeBinaryOperator))
        {
            var start = _current;
            var op = Next().Value;
            left = Mk(new BinaryExpression(op, left, ParseTest()), start);
        }
        return left;
    }

    private Expression ParseTest()
    {
        var operand = ParseFilter();
        while (IsIdentifier("is"))
        {
            var start = _current;
            _current++;
            var negate = false;
            if (IsIdentifier("not"))
            {
                _current++;
                negate = true;
            }
            var test = ParsePrimaryExpression();
            if (Is(TokenType.OpenParen)) test = ParseCallExpression(test);
            operand = Mk(new TestExpression(operand, negate, test), start);
        }
        return operand;
    }

    private Expression ParseFilter()
    {
        // filters bind outside unary minus: -n|abs is (-n)|abs
        var operand = ParseUnary();
        while (Is(TokenType.Pipe))
        {
            var start = _current;
            _current++;
            var filter = ParsePrimaryExpression();
            if (Is(TokenType.OpenParen)) filter = ParseCallExpression(filter);
            operand = Mk(new FilterExpression(operand, filter), start);
        }
        return operand;
    }

    private Expression ParseUnary()
    {
        if (!Is(TokenType.UnaryOperator)) return ParseCallMember();
        var start = _current;
        var op = Next().Value;
        Enter();
        var argument = ParseUnary();
        Leave();
        return Mk(new UnaryExpression(op, argument), start);
    }

    private Expression ParseCallMember()
    {
        var member = ParseMemberExpression(ParsePrimaryExpression());
        return Is(TokenType.OpenParen) ? ParseCallExpression(member) : member;
    }

    private Expression ParseCallExpression(Expression callee)
    {
        var start = _current;
        var call = Mk(new CallExpression(callee, ParseArgs()), start);
        call.Pos = callee.Pos;
        var member = ParseMemberExpression(call);
        return Is(TokenType.OpenParen) ? ParseCallExpression(member) : member;
    }

    private List<Expression> ParseArgs()
    {
        var open = Expect(TokenType.OpenParen, "'('");
        Enter();
        var args = new List<Expression>();
        while (!Is(TokenType.CloseParen))
        {
            if (Is(TokenType.Eof)) throw Error("unclosed '(' in argument list", open.Pos);
            Expression arg;
            if (Peek().Type == TokenType.MultiplicativeBinaryOperator && Peek().Value == "*")
            {
                var start = _current;
                _current++;
                arg = Mk(new SpreadExpression(ParseExpression()), start);
            }
            else
            {
                arg = ParseExpression();
                if (Is(TokenType.Equals))
                {
                    var start = _current;
                    _current++;
                    var kwarg = Mk(new KeywordArgumentExpression(arg, ParseExpression()), start);
                    kwarg.Pos = arg.Pos;
                    arg = kwarg;
                }
            }
            args.Add(arg);
            if (Is(TokenType.Comma)) _current++;
        }
        Expect(TokenType.CloseParen, "')'");
        Leave();
        return args;
    }

    private Expression ParseMemberExpression(Expression obj)
    {
        var start = _current;
        while (Is(TokenType.Dot) || Is(TokenType.OpenSquareBracket))
        {
            var op = Next();
            var computed = op.Type == TokenType.OpenSquareBracket;
            Expression prop;
            if (computed)
            {
                prop = ParseSubscript();
                Expect(TokenType.CloseSquareBracket, "']'");
            }
            else
            {
                prop = ParsePrimaryExpression();
            }
            obj = Mk(new MemberExpression(obj, prop, computed), start);
            obj.Pos = op.Pos;
        }
        return obj;
    }

    /// <summary>Parses the inside of [...]: an index, or a slice start:stop:step with optional parts.</summary>
    private Expression ParseSubscript()
    {
        var slices = new List<Expression?>();
        var isSlice = false;
        var start = _current;
        Enter();
        while (!Is(TokenType.CloseSquareBracket))
        {
            if (Is(TokenType.Eof)) throw Error("unclosed '['", _tokens[start - 1].Pos);
            if (Is(TokenType.Colon))
            {
                slices.Add(null);
                _current++;
                isSlice = true;
            }
            else
            {
                slices.Add(ParseExpression());
                if (Is(TokenType.Colon))
                {
                    _current++;
                    isSlice = true;
                }
            }
        }
        Leave();
        if (isSlice)
        {
            return Mk(new SliceExpression(
                slices.Count > 0 ? slices[0] : null,
                slices.Count > 1 ? slices[1] : null,
                slices.Count > 2 ? slices[2] : null), start);
        }
        if (slices.Count == 0) return Mk(new BlankExpression(), start);
        return slices[0]!;
    }

    private Expression ParsePrimaryExpression()
    {
        var start = _current;
        var t = Next();
        switch (t.Type)
        {
            case TokenType.NumericLiteral:
                if (t.Value.Contains('.'))
                    return Mk(new FloatLiteral(double.Parse(t.Value, CultureInfo.InvariantCulture)), start);
                if (!long.TryParse(t.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    throw Error($"integer literal {t.Value} is out of range", t.Pos);
                return Mk(new IntegerLiteral(integer), start);
            case TokenType.StringLiteral:
            {
                // adjacent string literals concatenate, as in Python
                var value = t.Value;
                while (Is(TokenType.StringLiteral)) value += Next().Value;
                return Mk(new StringLiteral(value), start);
            }
            case TokenType.Identifier:
                return Mk(new Identifier(t.Value), start);
            case TokenType.OpenParen:
            {
                Enter();
                var expr = ParseExpressionSequence();
                Expect(TokenType.CloseParen, "')'");
                Leave();
                return expr;
            }
            case TokenType.OpenSquareBracket:
            {
                Enter();
                var items = new List<Expression>();
                while (!Is(TokenType.CloseSquareBracket))
                {
                    if (Is(TokenType.Eof)) throw Error("unclosed '[' in list literal", t.Pos);
                    items.Add(ParseExpression());
                    if (Is(TokenType.Comma)) _current++;
                }
                _current++;
                Leave();
                return Mk(new ArrayLiteral(items), start);
            }
            case TokenType.OpenCurlyBracket:
            {
                Enter();
                var pairs = new List<(Expression, Expression)>();
                while (!Is(TokenType.CloseCurlyBracket))
                {
                    if (Is(TokenType.Eof)) throw Error("unclosed '{' in dict literal", t.Pos);
                    var key = ParseExpression();
                    Expect(TokenType.Colon, "':' in dict literal");
                    pairs.Add((key, ParseExpression()));
                    if (Is(TokenType.Comma)) _current++;
                }
                _current++;
                Leave();
                return Mk(new ObjectLiteral(pairs), start);
            }
            default:
                throw Error($"unexpected {Describe(t)} in expression", t.Pos);
        }
    }
}
