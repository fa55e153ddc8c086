namespace AgentHost.Grammar;

/// <summary>
/// The schema itself is malformed (e.g. <c>"type": "strng"</c>, <c>required</c> that is not an array of strings,
/// an unresolvable <c>$ref</c>, an invalid regular expression).
/// </summary>
public sealed class InvalidSchemaException : JsonSchemaException
{
    /// <summary>Creates the exception for <paramref name="keyword"/> at <paramref name="schemaPath"/>.</summary>
    public InvalidSchemaException(string schemaPath, string keyword, string detail, Exception? inner = null)
        : base("Invalid", schemaPath, keyword, detail, inner)
    {
    }
}
