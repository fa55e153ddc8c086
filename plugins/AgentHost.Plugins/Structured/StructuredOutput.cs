using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Plugins.Structured;

/// <summary>Implemented by structured results that have rules JSON Schema alone does not express.</summary>
public interface IValidatableOutput
{
    /// <summary>Problems found, empty when the value is valid.</summary>
    IEnumerable<string> Validate();
}

/// <summary>
/// Parses and validates what a prompt function with a JSON-schema response format answered. Enums are snake_case
/// strings (unknown values are errors), required members must be present, and a failure is a
/// <see cref="ToolResult{T}"/> error quoting the start of the output rather than an exception.
/// </summary>
public static class StructuredOutput
{
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowTrailingCommas = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Parses <paramref name="output"/> as <typeparamref name="T"/>; <paramref name="what"/> names the function in errors.</summary>
    public static ToolResult<T> Parse<T>(string? output, string what) where T : class
    {
        if (string.IsNullOrWhiteSpace(output))
            return ToolResult<T>.Failure($"{what}: the model returned no output, so there is no structured result.");
        var json = ExtractJson(output);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            return ToolResult<T>.Failure($"{what}: the model's output is not valid JSON for the expected schema ({Describe(ex)}). Output began: \"{Preview(output)}\"");
        }
        if (value is null) return ToolResult<T>.Failure($"{what}: the model's output was JSON null, not an object.");
        if (value is IValidatableOutput validatable && validatable.Validate().ToList() is { Count: > 0 } problems)
            return ToolResult<T>.Failure($"{what}: the model's output does not satisfy the schema: {string.Join("; ", problems)}.");
        return ToolResult<T>.Success(value);
    }

    /// <summary>The JSON object in <paramref name="output"/>: without a Markdown code fence, or from the first '{' to the last '}'.</summary>
    internal static string ExtractJson(string output)
    {
        var text = output.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstNewline = text.IndexOf('\n');
            var closing = text.LastIndexOf("```", StringComparison.Ordinal);
            if (firstNewline > 0 && closing > firstNewline) text = text[(firstNewline + 1)..closing].Trim();
        }
        if (!text.StartsWith('{'))
        {
            var open = text.IndexOf('{');
            var close = text.LastIndexOf('}');
            if (open >= 0 && close > open) text = text[open..(close + 1)];
        }
        return text;
    }

    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        return ex.Path is { Length: > 1 } path ? $"{message.TrimEnd('.')} at {path}" : message.TrimEnd('.');
    }

    private static string Preview(string output)
    {
        var flat = output.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 120 ? flat : flat[..120] + "…";
    }
}
