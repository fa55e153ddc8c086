using NJsonSchema;

namespace AgentHost.Grammar.Tests.Support;

/// <summary>
/// Independent JSON Schema validation (NJsonSchema 11, the validator that restores from this NuGet mirror), used to
/// check that test instances really are valid or invalid, and that strings sampled from grammars are valid.
/// </summary>
internal static class SchemaValidator
{
    /// <summary>Whether <paramref name="instanceJson"/> is valid JSON and satisfies <paramref name="schemaJson"/>.</summary>
    public static bool IsValid(string schemaJson, string instanceJson)
    {
        // NJsonSchema parses instances with Newtonsoft, which tolerates trailing commas and the like; JSON syntax is
        // checked strictly with System.Text.Json first.
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(instanceJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        var schema = JsonSchema.FromJsonAsync(schemaJson).GetAwaiter().GetResult();
        try
        {
            return schema.Validate(instanceJson).Count == 0;
        }
        catch (Newtonsoft.Json.JsonReaderException)
        {
            return false;
        }
    }
}
