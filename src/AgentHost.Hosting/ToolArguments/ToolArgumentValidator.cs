using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Json.Schema;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentHost.Hosting.ToolArguments;

/// <summary>
/// Checks a tool call's arguments against the function's full JSON schema (JsonSchema.Net, draft 2020-12) before the
/// function runs. The generation grammar cannot enforce every keyword (<c>not</c>, <c>if</c>/<c>then</c>,
/// <c>uniqueItems</c>, ...: it loosens them), so a well-formed call can still break a rule; such a call is not made
/// and the violation, naming the argument and the rule, becomes the function's result for the model to correct.
/// </summary>
public sealed class ToolArgumentValidator
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    // Built once per function instance; null when the schema cannot be built (then only the grammar's checks apply).
    private readonly ConditionalWeakTable<AIFunction, BuiltSchema> _schemas = new();
    private readonly ILogger? _logger;

    public ToolArgumentValidator(ILogger? logger = null) => _logger = logger;

    private sealed record BuiltSchema(JsonSchema? Schema);

    /// <summary>Null when <paramref name="arguments"/> satisfy the function's schema, else the tool error text.</summary>
    public string? Validate(AIFunction function, IReadOnlyDictionary<string, object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        if (_schemas.GetValue(function, Build).Schema is not { } schema) return null;
        var instance = JsonSerializer.SerializeToElement(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IReadOnlyDictionary<string, object?>)));
        var result = schema.Evaluate(instance, Evaluation);
        if (result.IsValid) return null;

        var nodes = new[] { result }.Concat(result.Details ?? []).ToList();
        var violations = new List<string>();
        foreach (var node in nodes.Where(n => !n.IsValid))
        {
            var evaluationPath = node.EvaluationPath.ToString();
            var argument = Argument(node.InstanceLocation.ToString());
            if (node.Errors is { Count: > 0 } errors)
            {
                foreach (var (keyword, message) in errors)
                    violations.Add($"{argument} breaks '{keyword}' (#{evaluationPath}): {message}");
                continue;
            }
            // A failed 'not' carries no message of its own: its subschema matched, so the node holding it failed.
            if (nodes.Any(n => !n.IsValid && n.EvaluationPath.ToString().StartsWith(evaluationPath + "/", StringComparison.Ordinal))) continue;
            foreach (var not in nodes.Where(n => n.IsValid && n.EvaluationPath.ToString() == evaluationPath + "/not"))
            {
                var value = Resolve(instance, node.InstanceLocation.ToString());
                var forbidden = Resolve(function.JsonSchema, evaluationPath + "/not");
                violations.Add($"{argument} breaks 'not' (#{evaluationPath}/not): {(value is { } v ? v.GetRawText() : "the value")} matches {(forbidden is { } f ? f.GetRawText() : "the schema")}, which it must not");
            }
        }
        if (violations.Count == 0) violations.Add("the arguments do not satisfy the parameter schema");
        var text = new StringBuilder()
            .Append("Error: '").Append(function.Name).Append("' was not called because its arguments break its parameter schema: ")
            .AppendJoin("; ", violations.Distinct())
            .Append(". Call it again with arguments that satisfy the schema.")
            .ToString();
        _logger?.LogInformation("Tool call {Function} rejected before invocation: {Violations}", function.Name, text);
        return text;
    }

    /// <summary>
    /// A <see cref="FunctionInvokingChatClient.FunctionInvoker"/> that validates first, then calls <paramref name="next"/>
    /// (default: the function itself).
    /// </summary>
    public Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> Invoker(Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>>? next = null) =>
        (context, cancellationToken) =>
        {
            if (Validate(context.Function, context.Arguments) is { } error) return new ValueTask<object?>(error);
            return next is not null ? next(context, cancellationToken) : context.Function.InvokeAsync(context.Arguments, cancellationToken);
        };

    private BuiltSchema Build(AIFunction function)
    {
        try
        {
            // A registry per schema: two tools may carry the same $id.
            return new BuiltSchema(JsonSchema.Build(function.JsonSchema, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
        }
        catch (Exception e) when (e is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException or RefResolutionException)
        {
            _logger?.LogWarning("The parameter schema of tool {Function} cannot be read by the validator ({Error}); its calls are checked by the grammar only", function.Name, e.Message);
            return new BuiltSchema(null);
        }
    }

    private static string Argument(string instanceLocation)
    {
        var segments = instanceLocation.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0) return "the arguments object";
        var argument = $"argument '{Unescape(segments[0])}'";
        return segments.Length > 1 ? argument + $" at {instanceLocation}" : argument;
    }

    /// <summary>The element at a JSON pointer ("/a/0"), or null when the path leaves the document (e.g. through a $ref).</summary>
    private static JsonElement? Resolve(JsonElement root, string pointer)
    {
        var node = root;
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Unescape(raw);
            if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(segment, out var child)) node = child;
            else if (node.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var i) && i >= 0 && i < node.GetArrayLength()) node = node[i];
            else return null;
        }
        return node;
    }

    private static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}
