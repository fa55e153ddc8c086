namespace AgentHost.Grammar;

/// <summary>
/// The schema is valid JSON Schema but uses a feature that cannot be expressed as a GBNF grammar
/// (e.g. <c>patternProperties</c>, <c>not</c>, <c>if</c>/<c>then</c>, <c>uniqueItems</c>, an unknown <c>format</c>). Thrown
/// only with <see cref="JsonSchemaGrammarOptions.RejectUnsupportedKeywords"/> (such keywords loosen the grammar
/// otherwise), and for the schema <c>false</c>, which accepts no value.
/// </summary>
public sealed class UnsupportedSchemaException : JsonSchemaException
{
    /// <summary>Creates the exception for <paramref name="keyword"/> at <paramref name="schemaPath"/>.</summary>
    public UnsupportedSchemaException(string schemaPath, string keyword, string detail, Exception? inner = null)
        : base("Unsupported", schemaPath, keyword, detail, inner)
    {
    }
}
