using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Running;

/// <summary>
/// What `agenthost run Plugin.Function --arg name=value … [--input TEXT|-]` does, as a library: finds the function,
/// binds the arguments (checking names and required parameters before anything runs), and formats the result.
/// </summary>
public static class KernelFunctionRunner
{
    private static readonly JsonSerializerOptions OutputJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The function named "Plugin.Function" (case-insensitive; "Plugin-Function" and "Plugin_Function" also work).</summary>
    public static KernelFunction Resolve(Kernel kernel, string? qualifiedName)
    {
        var name = qualifiedName?.Trim() ?? "";
        var cut = name.IndexOfAny(['.', '-', '_']);
        if (cut <= 0 || cut == name.Length - 1)
            throw new PluginInputException("function", $"'{name}' is not of the form Plugin.Function; available: {Available(kernel)}");
        var (plugin, function) = (name[..cut], name[(cut + 1)..]);
        if (!kernel.Plugins.TryGetPlugin(plugin, out var p))
            throw new PluginInputException("function", $"no plugin '{plugin}'; plugins: {string.Join(", ", kernel.Plugins.Select(x => x.Name).Order())}");
        return p.TryGetFunction(function, out var f) ? f
            : throw new PluginInputException("function", $"{p.Name} has no function '{function}'; it has: {string.Join(", ", p.Select(x => x.Name).Order())}");
    }

    /// <summary>
    /// Arguments from "name=value" pairs. A value "@PATH" is the content of that file, "-" is standard input.
    /// <paramref name="input"/> (when given) is bound to the parameter named input, or else to the function's
    /// first required parameter. Unknown names, repeated names and missing required parameters are errors.
    /// </summary>
    public static KernelArguments BindArguments(KernelFunction function, IEnumerable<string> pairs, string? input, TextReader? stdin = null)
    {
        var parameters = function.Metadata.Parameters.Where(p => p.ParameterType != typeof(Kernel) && p.ParameterType != typeof(CancellationToken)).ToList();
        var names = string.Join(", ", parameters.Select(p => p.Name));
        var arguments = new KernelArguments();
        var stdinUsed = false;
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new PluginInputException("--arg", $"'{pair}' is not of the form name=value");
            var name = pair[..eq].Trim();
            var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new PluginInputException("--arg", $"{function.PluginName}.{function.Name} has no parameter '{name}'; parameters: {names}");
            if (arguments.ContainsName(parameter.Name)) throw new PluginInputException("--arg", $"'{parameter.Name}' is given twice");
            arguments[parameter.Name] = Value(pair[(eq + 1)..], $"--arg {parameter.Name}");
        }
        if (input is not null)
        {
            var target = parameters.FirstOrDefault(p => p.Name == "input") ?? parameters.FirstOrDefault(p => p.IsRequired)
                ?? throw new PluginInputException("--input", $"{function.PluginName}.{function.Name} has no required parameter to take it; use --arg (parameters: {names})");
            if (arguments.ContainsName(target.Name)) throw new PluginInputException("--input", $"'{target.Name}' is also given with --arg");
            arguments[target.Name] = Value(input, "--input");
        }
        var missing = parameters.Where(p => p.IsRequired && p.DefaultValue is null && !arguments.ContainsName(p.Name)).Select(p => p.Name).ToList();
        if (missing.Count > 0)
            throw new PluginInputException("--arg", $"{function.PluginName}.{function.Name} needs {string.Join(", ", missing)} (use --arg NAME=VALUE or --input)");
        return arguments;

        string Value(string raw, string what)
        {
            if (raw == "-")
            {
                if (stdinUsed) throw new PluginInputException(what, "standard input can be read only once");
                stdinUsed = true;
                return (stdin ?? Console.In).ReadToEnd();
            }
            if (raw.StartsWith('@') && raw.Length > 1)
            {
                var path = raw[1..];
                return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : throw new PluginInputException(what, $"file not found: {Path.GetFullPath(path)}");
            }
            return raw;
        }
    }

    /// <summary>
    /// The result as the CLI prints it: text as it is (unless <paramref name="json"/>), anything else as indented
    /// snake_case JSON. <paramref name="error"/> is set when the result is a failed <see cref="IToolResult"/>.
    /// </summary>
    public static string Format(FunctionResult result, bool json, out string? error)
    {
        var value = result.GetValue<object>();
        if (value is ChatMessageContent message) value = message.Content;
        error = value is IToolResult { Ok: false } failed ? failed.Error : null;
        if (value is null) return "";
        if (!json && value is string text) return text;
        return JsonSerializer.Serialize(value, value.GetType(), OutputJson);
    }

    /// <summary>
    /// The functions named by <paramref name="names"/> (each "all", a plugin's name, or "Plugin.Function"; commas
    /// separate several in one entry), in order and without repeats: the tools a chat offers the model.
    /// </summary>
    public static IReadOnlyList<KernelFunction> Select(Kernel kernel, IEnumerable<string> names)
    {
        var selected = new List<KernelFunction>();
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            IEnumerable<KernelFunction> functions =
                string.Equals(name, "all", StringComparison.OrdinalIgnoreCase) ? kernel.Plugins.SelectMany(p => p)
                : kernel.Plugins.TryGetPlugin(name, out var plugin) ? plugin
                : name.IndexOfAny(['.', '-', '_']) > 0 ? [Resolve(kernel, name)]
                : throw new PluginInputException("plugins", $"no plugin '{name}'; plugins: {string.Join(", ", kernel.Plugins.Select(x => x.Name).Order())}");
            foreach (var f in functions)
                if (!selected.Any(s => s.PluginName == f.PluginName && s.Name == f.Name)) selected.Add(f);
        }
        return selected;
    }

    /// <summary>Every function as "Plugin.Function", for messages.</summary>
    public static string Available(Kernel kernel) =>
        string.Join(", ", kernel.Plugins.SelectMany(p => p.Select(f => $"{p.Name}.{f.Name}")).Order(StringComparer.Ordinal));

    /// <summary>A listing of every function with its description and parameters (for --list).</summary>
    public static string Describe(Kernel kernel)
    {
        var b = new StringBuilder();
        foreach (var plugin in kernel.Plugins.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            foreach (var f in plugin.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                b.Append(plugin.Name).Append('.').Append(f.Name).Append("  ").AppendLine(f.Description);
                foreach (var p in f.Metadata.Parameters.Where(p => p.ParameterType != typeof(Kernel) && p.ParameterType != typeof(CancellationToken)))
                {
                    b.Append("    ").Append(p.Name).Append(p.IsRequired && p.DefaultValue is null ? " (required)" : $" = {p.DefaultValue}")
                        .Append("  ").AppendLine(p.Description);
                }
            }
        }
        return b.ToString();
    }
}
