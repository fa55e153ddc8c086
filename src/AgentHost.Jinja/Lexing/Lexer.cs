using System.Text;

namespace AgentHost.Jinja.Lexing;

/// <summary>
/// Turns template source into tokens exactly as llama.cpp's jinja::lexer does, including its
/// fixed chat-template settings (lstrip_blocks = trim_blocks = true) and its quirks, because the
/// rendered prompt must match llama.cpp byte for byte.
/// </summary>
internal sealed class Lexer
{
    private static readonly (string Seq, TokenType Type)[] OrderedMapping =
    [
        ("{%-", TokenType.OpenStatement), ("-%}", TokenType.CloseStatement),
        ("{{-", TokenType.OpenExpression), ("-}}", TokenType.CloseExpression),
        ("{%", TokenType.OpenStatement), ("%}", TokenType.CloseStatement),
        ("{{", TokenType.OpenExpression), ("}}", TokenType.CloseExpression),
        ("(", TokenType.OpenParen), (")", TokenType.CloseParen),
        ("{", TokenType.OpenCurlyBracket), ("}", TokenType.CloseCurlyBracket),
        ("[", TokenType.OpenSquareBracket), ("]", TokenType.CloseSquareBracket),
        (",", TokenType.Comma), (".", TokenType.Dot), (":", TokenType.Colon), ("|", TokenType.Pipe),
        ("<=", TokenType.ComparisonBinaryOperator), (">=", TokenType.ComparisonBinaryOperator),
        ("==", TokenType.ComparisonBinaryOperator), ("!=", TokenType.ComparisonBinaryOperator),
        ("<", TokenType.ComparisonBinaryOperator), (">", TokenType.ComparisonBinaryOperator),
        ("+", TokenType.AdditiveBinaryOperator), ("-", TokenType.AdditiveBinaryOperator),
        ("~", TokenType.AdditiveBinaryOperator),
        ("*", TokenType.MultiplicativeBinaryOperator), ("/", TokenType.MultiplicativeBinaryOperator),
        ("%", TokenType.MultiplicativeBinaryOperator),
        ("=", TokenType.Equals),
    ];

    private readonly string _src;
    private readonly SourceText _text;
    private readonly List<Token> _tokens = [];
    private int _pos;

    private Lexer(string src)
    {
        _src = src;
        _text = new SourceText(src);
    }

    /// <summary>The normalized source (line endings folded, one trailing newline dropped) and its tokens.</summary>
    public static (string Source, List<Token> Tokens) Tokenize(string source)
    {
        if (source.Length == 0) return (source, []);

        // llama.cpp folds \r\n and \r to \n, then drops one trailing newline (default Jinja keep_trailing_newline=false).
        var src = source.Replace("\r\n", "\n").Replace('\r', '\n');
        if (source[^1] == '\n') src = src[..^1];

        var lexer = new Lexer(src);
        lexer.Run();
        return (src, lexer._tokens);
    }

    // src[pos] with C++ std::string semantics: reading at size() yields '\0'.
    private char At(int pos) => pos < _src.Length ? _src[pos] : '\0';

    private bool NextPosIs(ReadOnlySpan<char> chars, int n = 1)
    {
        if (_pos + n >= _src.Length) return false;
        return chars.Contains(_src[_pos + n]);
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
    private static bool IsDigit(char c) => c is >= '0' and <= '9';
    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private TemplateSyntaxException Error(string reason, int pos)
    {
        var (line, col) = _text.LineColumn(pos);
        return new TemplateSyntaxException(reason, line, col);
    }

    private string ConsumeWhile(Func<char, bool> predicate, int literalStart = -1)
    {
        var sb = new StringBuilder();
        while (predicate(At(_pos)))
        {
            if (At(_pos) == '\\')
            {
                var escapeStart = _pos;
                ++_pos;
                if (_pos >= _src.Length) throw Error("unexpected end of input after escape character", escapeStart);
                var escaped = _src[_pos++];
                sb.Append(escaped switch
                {
                    'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', 'v' => '\v',
                    '\\' => '\\', '\'' => '\'', '"' => '"',
                    _ => throw Error($"unknown escape character \\{escaped} in string literal", escapeStart),
                });
                continue;
            }
            sb.Append(At(_pos++));
            if (_pos > _src.Length) throw Error("unterminated string literal", literalStart < 0 ? _pos - 1 : literalStart);
        }
        return sb.ToString();
    }

    private string ConsumeNumeric()
    {
        var num = ConsumeWhile(IsDigit);
        if (_pos < _src.Length && _src[_pos] == '.' && _pos + 1 < _src.Length && IsDigit(_src[_pos + 1]))
        {
            ++_pos;
            num += "." + ConsumeWhile(IsDigit);
        }
        return num;
    }

    private void Run()
    {
        // size_t in llama.cpp: decrementing below zero wraps, which then disables "}}" matching.
        ulong curlyDepth = 0;

        while (_pos < _src.Length)
        {
            var startPos = _pos;
            var lastType = _tokens.Count == 0 ? TokenType.CloseStatement : _tokens[^1].Type;

            if (lastType is TokenType.CloseStatement or TokenType.CloseExpression or TokenType.Comment)
            {
                if (ConsumeText(startPos)) continue;
            }

            if (At(_pos) == '{' && NextPosIs("#"))
            {
                ConsumeComment();
                continue;
            }

            if (At(_pos) == '-' && lastType is TokenType.OpenExpression or TokenType.OpenStatement)
            {
                _pos++;
                if (_pos >= _src.Length) break;
            }

            ConsumeWhile(IsSpace);
            if (_pos >= _src.Length) break;

            var ch = _src[_pos];
            var isClosingBlock = ch == '-' && NextPosIs("%}");

            if (!isClosingBlock && (ch == '-' || ch == '+'))
            {
                startPos = _pos;
                var prev = _tokens.Count == 0 ? TokenType.Eof : _tokens[^1].Type;
                if (prev is TokenType.Text or TokenType.Eof) throw Error($"unexpected character: {ch}", _pos);
                if (prev is not (TokenType.Identifier or TokenType.NumericLiteral or TokenType.StringLiteral
                    or TokenType.CloseParen or TokenType.CloseSquareBracket))
                {
                    // unary operator, possibly folded into a signed numeric literal
                    ++_pos;
                    var num = ConsumeNumeric();
                    _tokens.Add(new Token(num.Length == 0 ? TokenType.UnaryOperator : TokenType.NumericLiteral, ch + num, startPos));
                    continue;
                }
            }

            var matched = false;
            foreach (var (seq, type) in OrderedMapping)
            {
                // inside an object literal "}}" closes two braces, not the expression
                if (seq == "}}" && curlyDepth > 0) continue;
                if (_pos + seq.Length > _src.Length || string.CompareOrdinal(_src, _pos, seq, 0, seq.Length) != 0) continue;
                _tokens.Add(new Token(type, seq, _pos));
                if (type == TokenType.OpenExpression) curlyDepth = 0;
                else if (type == TokenType.OpenCurlyBracket) ++curlyDepth;
                else if (type == TokenType.CloseCurlyBracket) unchecked { --curlyDepth; }
                _pos += seq.Length;
                matched = true;
                break;
            }
            if (matched) continue;

            if (ch is '\'' or '"')
            {
                startPos = _pos;
                ++_pos;
                var str = ConsumeWhile(c => c != ch, startPos);
                _tokens.Add(new Token(TokenType.StringLiteral, str, startPos));
                ++_pos;
                continue;
            }

            if (IsDigit(ch))
            {
                startPos = _pos;
                _tokens.Add(new Token(TokenType.NumericLiteral, ConsumeNumeric(), startPos));
                continue;
            }

            if (IsWord(ch))
            {
                startPos = _pos;
                _tokens.Add(new Token(TokenType.Identifier, ConsumeWhile(IsWord), startPos));
                continue;
            }

            throw Error($"unexpected character: {ch}", _pos);
        }
    }

    /// <summary>Consumes raw text up to the next tag, applying trim/lstrip rules; true when a text token was added.</summary>
    private bool ConsumeText(int startPos)
    {
        var lastBlockCanRemoveNewline = false;
        var isRstripBlock = false;
        if (_pos > 3)
        {
            var c0 = _src[_pos - 3];
            var c1 = _src[_pos - 2];
            var c2 = _src[_pos - 1];
            isRstripBlock = c0 == '-' && c1 is '%' or '}' or '#' && c2 == '}';
            // matches hf.js: ([#%-]}) — "}}" does not eat the following newline
            lastBlockCanRemoveNewline = c1 is '#' or '%' or '-' && c2 == '}';
        }

        var start = _pos;
        var end = start;
        while (_pos < _src.Length && !(_src[_pos] == '{' && NextPosIs("%{#")))
            end = ++_pos;

        // lstrip_blocks: drop spaces between a line start and a following {% or {# tag.
        if (At(_pos) == '{' && NextPosIs("%#-"))
        {
            var current = end;
            while (current > start)
            {
                var c = _src[current - 1];
                if (current == 1)
                {
                    end = 0; // llama.cpp trims from the start of the source here, whatever the character
                    break;
                }
                if (c == '\n')
                {
                    end = current;
                    break;
                }
                if (!IsSpace(c)) break;
                --current;
            }
        }

        var text = _src.Substring(start, Math.Max(0, end - start));

        if (lastBlockCanRemoveNewline && text.Length > 0 && text[0] == '\n') text = text[1..];
        if (isRstripBlock) text = text.TrimStart(' ', '\t', '\r', '\n');

        var isLstripBlock = At(_pos) == '{' && NextPosIs("{%#") && NextPosIs("-", 2);
        if (isLstripBlock) text = text.TrimEnd(' ', '\t', '\r', '\n');

        if (text.Length == 0) return false;
        _tokens.Add(new Token(TokenType.Text, text, startPos));
        return true;
    }

    private void ConsumeComment()
    {
        var startPos = _pos;
        _pos += 2;
        var sb = new StringBuilder();
        while (!(At(_pos) == '#' && NextPosIs("}")))
        {
            if (_pos + 2 >= _src.Length) throw Error("missing end of comment tag '#}'", startPos);
            sb.Append(_src[_pos++]);
        }
        _tokens.Add(new Token(TokenType.Comment, sb.ToString(), startPos));
        _pos += 2;
    }
}
