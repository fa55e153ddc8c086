namespace AgentHost.Grammar;

/// <summary>Options for <see cref="JsonSchemaGrammar"/>.</summary>
public sealed record JsonSchemaGrammarOptions
{
    /// <summary>Shared default instance.</summary>
    public static JsonSchemaGrammarOptions Default { get; } = new();

    /// <summary>
    /// Whether an object schema that does not mention <c>additionalProperties</c> accepts extra properties.
    /// Default <c>false</c>: tool arguments should contain only the declared parameters.
    /// </summary>
    public bool AdditionalPropertiesByDefault { get; init; }

    /// <summary>Whitespace allowed between JSON tokens. Default <see cref="JsonWhitespace.Bounded"/>.</summary>
    public JsonWhitespace Whitespace { get; init; } = JsonWhitespace.Bounded;

    /// <summary>Name of the start rule (llama.cpp's default is <c>root</c>). Must match <c>[a-zA-Z0-9-]+</c>.</summary>
    public string RootRuleName { get; init; } = "root";

    /// <summary>
    /// Called once per schema position and keyword that no grammar can express (<c>not</c>, <c>if</c>/<c>then</c>,
    /// <c>uniqueItems</c>, an untranslatable <c>pattern</c>, ...). The grammar then accepts any value of the otherwise
    /// declared type there; callers validate the generated JSON against the full schema. Null: not reported.
    /// </summary>
    public Action<SchemaLoosening>? Loosened { get; init; }

    /// <summary>
    /// Throw <see cref="UnsupportedSchemaException"/> for such keywords instead of loosening the grammar. Default
    /// <c>false</c>: a tool or response format is never rejected for a keyword the grammar cannot enforce.
    /// </summary>
    public bool RejectUnsupportedKeywords { get; init; }
}
