namespace AgentHost.Jinja.Lexing;

/// <summary>Kinds of tokens the lexer produces; mirrors llama.cpp's jinja::token::type.</summary>
internal enum TokenType
{
    Eof,
    Text,
    NumericLiteral,
    StringLiteral,
    Identifier,
    Equals,
    OpenParen,
    CloseParen,
    OpenStatement,
    CloseStatement,
    OpenExpression,
    CloseExpression,
    OpenSquareBracket,
    CloseSquareBracket,
    OpenCurlyBracket,
    CloseCurlyBracket,
    Comma,
    Dot,
    Colon,
    Pipe,
    CallOperator,
    AdditiveBinaryOperator,
    MultiplicativeBinaryOperator,
    ComparisonBinaryOperator,
    UnaryOperator,
    Comment,
}

/// <summary>One lexed token; <see cref="Pos"/> is the offset in the normalized source.</summary>
internal readonly record struct Token(TokenType Type, string Value, int Pos);
