using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;
using ModelContextProtocol.Protocol;
using NJsonSchemaDocument = NJsonSchema.JsonSchema;

namespace AgentHost.Mcp.Server;

/// <summary>
/// The kernel's functions as MCP tools: one tool per function, named <c>Plugin_Function</c>, whose input schema is
/// the function's own JSON schema (the one the tool-call grammar compiles, with the parameters' DataAnnotations).
/// A call is checked against that schema first; a failure of any kind — arguments that fail the schema, a plugin
/// refusing its input, an exception — is an MCP tool error (<c>isError: true</c> with the message), never a
/// protocol error, so the calling model can read it and correct the call.
/// </summary>
public sealed class KernelToolCatalog(Kernel kernel, ILogger<KernelToolCatalog>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly ConcurrentDictionary<string, Lazy<NJsonSchemaDocument>> _schemas = new(StringComparer.Ordinal);

    /// <summary>The MCP name of a kernel function.</summary>
    public static string ToolName(KernelFunction function) =>
        string.IsNullOrEmpty(function.PluginName) ? function.Name : $"{function.PluginName}_{function.Name}";

    /// <summary>Every function of every plugin of the kernel.</summary>
    public IEnumerable<KernelFunction> Functions => kernel.Plugins.SelectMany(p => p);

    /// <summary>tools/list: one tool per kernel function.</summary>
    public ListToolsResult ListTools() => new()
    {
        Tools = Functions.Select(f => new Tool
        {
            Name = ToolName(f),
            Description = f.Description,
            InputSchema = f.JsonSchema,
        }).ToList(),
    };

    /// <summary>The kernel function behind an MCP tool name.</summary>
    public bool TryGetFunction(string name, out KernelFunction function)
    {
        function = Functions.FirstOrDefault(f => string.Equals(ToolName(f), name, StringComparison.Ordinal))!;
        return function is not null;
    }

    /// <summary>tools/call: validates, invokes, and reports any failure as a tool error.</summary>
    public async Task<CallToolResult> CallAsync(string name, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        if (!TryGetFunction(name, out var function))
            return Error($"No tool '{name}'; tools/list names the tools this server has.");

        var json = new JsonObject();
        foreach (var (key, value) in arguments ?? new Dictionary<string, JsonElement>()) json[key] = JsonNode.Parse(value.GetRawText());
        var problems = Validate(function, json);
        if (problems.Count > 0)
            return Error($"Invalid arguments for {name}: {string.Join("; ", problems)}");

        var kernelArguments = new KernelArguments();
        // SK converts a JsonNode to the parameter's type with System.Text.Json, as the HTTP plugins endpoint does.
        foreach (var (key, value) in json) kernelArguments[key] = value;
        try
        {
            var result = await kernel.InvokeAsync(function, kernelArguments, cancellationToken).ConfigureAwait(false);
            var value = result.GetValue<object>();
            var text = value switch
            {
                null => "",
                string s => s,
                _ => JsonSerializer.Serialize(value, value.GetType(), JsonSerializerOptions.Web),
            };
            // The plugins answer a refused request with {"ok":false,"error":...}: for MCP that is a tool error.
            return new CallToolResult { Content = [new TextContentBlock { Text = text }], IsError = IsFailure(text) ? true : null };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var message = ex is PluginInputException ? ex.Message : $"{name} failed: {ex.Message}";
            _logger.LogInformation("MCP tool call {Tool} failed: {Message}", name, message);
            return Error(message);
        }
    }

    /// <summary>The schema violations of <paramref name="arguments"/>, each naming the argument (empty when valid).</summary>
    public List<string> Validate(KernelFunction function, JsonObject arguments)
    {
        var schema = _schemas.GetOrAdd(ToolName(function), _ => new Lazy<NJsonSchemaDocument>(() =>
            NJsonSchemaDocument.FromJsonAsync(function.JsonSchema.GetRawText()).GetAwaiter().GetResult())).Value;
        return schema.Validate(arguments.ToJsonString())
            .Select(e => $"{(string.IsNullOrEmpty(e.Path) || e.Path == "#" ? e.Property ?? "(arguments)" : e.Path.TrimStart('#', '/').Replace('/', '.'))}: {Describe(e.Kind)}")
            .ToList();
    }

    private static string Describe(NJsonSchema.Validation.ValidationErrorKind kind) => kind switch
    {
        NJsonSchema.Validation.ValidationErrorKind.PropertyRequired => "is required",
        NJsonSchema.Validation.ValidationErrorKind.NoAdditionalPropertiesAllowed => "is not a parameter of this tool",
        NJsonSchema.Validation.ValidationErrorKind.StringTooShort => "is too short",
        NJsonSchema.Validation.ValidationErrorKind.StringTooLong => "is too long",
        NJsonSchema.Validation.ValidationErrorKind.NotInEnumeration => "is not one of the allowed values",
        NJsonSchema.Validation.ValidationErrorKind.PatternMismatch => "does not match the required pattern",
        NJsonSchema.Validation.ValidationErrorKind.NumberTooSmall => "is below the minimum",
        NJsonSchema.Validation.ValidationErrorKind.NumberTooBig => "is above the maximum",
        var other when other.ToString().EndsWith("Expected", StringComparison.Ordinal) => $"has the wrong type ({other.ToString()[..^"Expected".Length].ToLowerInvariant()} expected)",
        var other => other.ToString(),
    };

    private static bool IsFailure(string text)
    {
        if (text.Length == 0 || text[0] != '{') return false;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.False;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static CallToolResult Error(string message) => new() { Content = [new TextContentBlock { Text = message }], IsError = true };
}
