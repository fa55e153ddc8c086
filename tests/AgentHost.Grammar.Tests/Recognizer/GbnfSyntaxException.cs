namespace AgentHost.Grammar.Tests.Recognizer;

/// <summary>The GBNF text would be rejected by llama.cpp's grammar parser.</summary>
internal sealed class GbnfSyntaxException(string message) : Exception(message);
