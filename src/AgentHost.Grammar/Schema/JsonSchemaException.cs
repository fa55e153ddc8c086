namespace AgentHost.Grammar;

/// <summary>
/// Base type of the errors raised while turning a JSON Schema into a grammar. Carries the JSON pointer
/// of the offending schema node and the keyword involved so callers can report the exact spot.
/// </summary>
public abstract class JsonSchemaException : Exception
{
    /// <summary>Creates the exception; the message is prefixed with the path and keyword.</summary>
    protected JsonSchemaException(string kind, string schemaPath, string keyword, string detail, Exception? inner = null)
        : base($"{kind} JSON Schema keyword '{keyword}' at '{schemaPath}': {detail}", inner)
    {
        SchemaPath = schemaPath;
        Keyword = keyword;
        Detail = detail;
    }

    /// <summary>JSON pointer (URI fragment form, e.g. <c>#/properties/city/pattern</c>) of the schema node at fault.</summary>
    public string SchemaPath { get; }

    /// <summary>The keyword involved, e.g. <c>patternProperties</c> or <c>type</c>.</summary>
    public string Keyword { get; }

    /// <summary>The explanation without the path/keyword prefix.</summary>
    public string Detail { get; }
}
