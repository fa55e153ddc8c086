namespace AgentHost.Grammar;

/// <summary>Which JSON Schema keywords the converter ignores, rejects, or treats as constraints.</summary>
internal static class SchemaKeywords
{
    /// <summary>Keywords that only annotate; they never change which values are valid.</summary>
    public static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$anchor", "$dynamicAnchor", "$comment", "$vocabulary", "$defs", "definitions",
        "title", "description", "default", "examples", "example", "deprecated", "readOnly", "writeOnly",
        "contentMediaType", "contentEncoding", "contentSchema", "discriminator", "xml", "externalDocs",
    };

    /// <summary>Keywords with no grammar equivalent, each with the reason given to the caller.</summary>
    public static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["patternProperties"] = "property names constrained by a regex cannot be combined with the other properties in a grammar",
        ["not"] = "a grammar cannot express the complement of a schema",
        ["if"] = "conditional schemas (if/then/else) are not supported",
        ["then"] = "conditional schemas (if/then/else) are not supported",
        ["else"] = "conditional schemas (if/then/else) are not supported",
        ["dependentSchemas"] = "property-dependent schemas are not supported",
        ["dependentRequired"] = "property-dependent requirements are not supported",
        ["dependencies"] = "property dependencies are not supported",
        ["propertyNames"] = "constraints on property names are not supported",
        ["contains"] = "'contains' cannot be expressed for arbitrary array positions",
        ["minContains"] = "'minContains' is not supported",
        ["maxContains"] = "'maxContains' is not supported",
        ["unevaluatedProperties"] = "'unevaluatedProperties' is not supported",
        ["unevaluatedItems"] = "'unevaluatedItems' is not supported",
        ["minProperties"] = "counting object properties is not supported",
        ["maxProperties"] = "counting object properties is not supported",
        ["$dynamicRef"] = "dynamic references are not supported",
        ["$recursiveRef"] = "recursive references are not supported; use $ref",
    };

    /// <summary>The primitive type names of JSON Schema.</summary>
    public static readonly string[] Types = ["string", "number", "integer", "boolean", "null", "object", "array"];

    /// <summary>Whether <paramref name="keyword"/> constrains values (anything that is not an annotation or vendor extension).</summary>
    public static bool IsConstraint(string keyword) => !Annotations.Contains(keyword) && !keyword.StartsWith("x-", StringComparison.Ordinal);
}
