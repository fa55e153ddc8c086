using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins;

/// <summary>
/// Carries DataAnnotations on a native function's parameters ([RegularExpression], [StringLength], [MinLength],
/// [MaxLength], [Range]) into the parameter's JSON schema. SK builds parameter schemas from the type alone; with
/// the constraints in the schema, a grammar-constrained tool call can only produce values the tool accepts.
/// </summary>
public static class ParameterSchemaAnnotations
{
    /// <summary>Metadata key marking functions made here: they validate their own arguments.</summary>
    public const string SelfValidatingKey = "agenthost.self_validating";

    private static readonly System.Collections.ObjectModel.ReadOnlyDictionary<string, object?> Marker = new(new Dictionary<string, object?> { [SelfValidatingKey] = true });

    /// <summary>The [KernelFunction] methods of <paramref name="target"/>, with annotated parameter schemas.</summary>
    public static IEnumerable<KernelFunction> CreateFunctions(object target, IServiceProvider? services = null)
    {
        var loggerFactory = services?.GetService(typeof(Microsoft.Extensions.Logging.ILoggerFactory)) as Microsoft.Extensions.Logging.ILoggerFactory;
        var methods = target.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<KernelFunctionAttribute>() is not null);
        foreach (var method in methods)
        {
            var plain = KernelFunctionFactory.CreateFromMethod(method, target, loggerFactory: loggerFactory);
            var byName = method.GetParameters().Where(p => p.Name is not null).ToDictionary(p => p.Name!, StringComparer.Ordinal);
            var parameters = plain.Metadata.Parameters
                .Select(p => byName.TryGetValue(p.Name, out var info) ? Annotate(p, info) : p)
                .ToList();
            yield return KernelFunctionFactory.CreateFromMethod(method, target, new KernelFunctionFromMethodOptions
            {
                FunctionName = plain.Name,
                Description = plain.Description,
                Parameters = parameters,
                ReturnParameter = plain.Metadata.ReturnParameter,
                LoggerFactory = loggerFactory,
                AdditionalMetadata = Marker,
            });
        }
    }

    /// <summary><paramref name="parameter"/> with the constraints of <paramref name="info"/>'s annotations added to its schema.</summary>
    public static KernelParameterMetadata Annotate(KernelParameterMetadata parameter, ParameterInfo info)
    {
        var constraints = Constraints(info);
        if (constraints.Count == 0 || parameter.Schema is null) return parameter;
        if (JsonNode.Parse(parameter.Schema.RootElement.GetRawText()) is not JsonObject schema) return parameter;
        foreach (var (key, value) in constraints) schema[key] = value;
        return new KernelParameterMetadata(parameter) { Schema = KernelJsonSchema.Parse(schema.ToJsonString()) };
    }

    private static List<(string Key, JsonNode Value)> Constraints(ParameterInfo info)
    {
        var list = new List<(string, JsonNode)>();
        foreach (var attribute in info.GetCustomAttributes<ValidationAttribute>())
        {
            switch (attribute)
            {
                case RegularExpressionAttribute r:
                    list.Add(("pattern", JsonValue.Create(r.Pattern)));
                    break;
                case StringLengthAttribute s:
                    if (s.MinimumLength > 0) list.Add(("minLength", JsonValue.Create(s.MinimumLength)));
                    list.Add(("maxLength", JsonValue.Create(s.MaximumLength)));
                    break;
                case MinLengthAttribute m:
                    list.Add((IsString(info) ? "minLength" : "minItems", JsonValue.Create(m.Length)));
                    break;
                case MaxLengthAttribute m when m.Length > 0:
                    list.Add((IsString(info) ? "maxLength" : "maxItems", JsonValue.Create(m.Length)));
                    break;
                case RangeAttribute r:
                    if (Number(r.Minimum) is { } min) list.Add(("minimum", JsonValue.Create(min)));
                    if (Number(r.Maximum) is { } max) list.Add(("maximum", JsonValue.Create(max)));
                    break;
            }
        }
        return list;
    }

    private static bool IsString(ParameterInfo info) => info.ParameterType == typeof(string);

    private static double? Number(object? value) => value switch
    {
        int i => i,
        double d when double.IsFinite(d) => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };
}
