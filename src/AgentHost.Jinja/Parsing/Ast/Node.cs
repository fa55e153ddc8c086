namespace AgentHost.Jinja.Parsing.Ast;

/// <summary>Base of every AST node; <see cref="Pos"/> is the source offset used for error locations.</summary>
internal abstract class Node
{
    public int Pos { get; set; }

    /// <summary>Type name used in error messages (matches llama.cpp's node names).</summary>
    public abstract string Kind { get; }
}

/// <summary>Nodes that produce a value when evaluated (everything usable inside <c>{{ }}</c>).</summary>
internal abstract class Expression : Node;

/// <summary>The parsed template: a flat list of top-level statements.</summary>
internal sealed class TemplateProgram(IReadOnlyList<Node> body)
{
    public IReadOnlyList<Node> Body { get; } = body;
}
