using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Filters;

/// <summary>
/// Checks a function's arguments against the JSON schema of each parameter before it runs: for prompt functions
/// the json_schema of config.json's input variables (minLength, maxLength, enum, pattern). SK itself renders a
/// missing or empty variable as empty text; this makes it an error naming the argument. Enum values are matched
/// case-insensitively and replaced by their canonical spelling so the rendered prompt is stable.
/// </summary>
public sealed class InputSchemaValidationFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        Validate(context.Function, context.Arguments);
        await next(context).ConfigureAwait(false);
    }

    internal static void Validate(KernelFunction function, KernelArguments arguments)
    {
        // Native tools check their own input, leniently (ord-42, HIGH) and with messages the model can act on; the
        // constraints in their schemas are there for the tool-call grammar.
        if (function.Metadata.AdditionalProperties.ContainsKey(ParameterSchemaAnnotations.SelfValidatingKey)) return;
        foreach (var parameter in function.Metadata.Parameters)
        {
            if (parameter.Schema is not { } schema || schema.RootElement.ValueKind != JsonValueKind.Object) continue;
            var root = schema.RootElement;
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "string") continue;

            arguments.TryGetValue(parameter.Name, out var raw);
            var value = raw?.ToString() ?? parameter.DefaultValue?.ToString();
            var name = parameter.Name;
            if (root.TryGetProperty("minLength", out var min) && min.TryGetInt32(out var minLength) && (value is null || value.Trim().Length < minLength))
                throw new PluginInputException(name, value is null or { Length: 0 } ? "is required and must not be empty" : $"must be at least {minLength} characters");
            if (value is null) continue;
            if (root.TryGetProperty("maxLength", out var max) && max.TryGetInt32(out var maxLength) && value.Length > maxLength)
                throw new PluginInputException(name, $"is {value.Length:N0} characters; the limit is {maxLength:N0}");
            if (root.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
            {
                var options = allowed.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
                var match = options.FirstOrDefault(o => string.Equals(o, value.Trim(), StringComparison.OrdinalIgnoreCase))
                    ?? throw new PluginInputException(name, $"must be one of {string.Join(", ", options)} (was '{value}')");
                if (raw is not null) arguments[name] = match;
            }
            if (root.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { } regex && !Regex.IsMatch(value, regex, RegexOptions.None, TimeSpan.FromSeconds(1)))
                throw new PluginInputException(name, DescribePattern(root, regex, value));
        }
    }

    private static string DescribePattern(JsonElement schema, string regex, string value) =>
        schema.TryGetProperty("description", out var d) && d.GetString() is { Length: > 0 } description
            ? $"must be {description} (was '{value}')"
            : $"must match {regex} (was '{value}')";
}
