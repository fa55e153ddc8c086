using System.ComponentModel;
using System.Reflection;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins;

/// <summary>
/// Builds one kernel plugin from a native plugin object and the prompt functions of the same name under prompts/:
/// the native [KernelFunction] methods (with their parameters' DataAnnotations in the schemas), plus every prompt
/// function no native method wraps (a native method named like a prompt function, e.g. Writing.Proofread, invokes
/// that prompt itself and takes its place).
/// </summary>
public static class PluginComposer
{
    public static KernelPlugin Compose(string name, object native, KernelPlugin? prompts, IServiceProvider? services = null)
    {
        var nativeFunctions = ParameterSchemaAnnotations.CreateFunctions(native, services).ToList();
        var names = new HashSet<string>(nativeFunctions.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        var functions = nativeFunctions.Concat((prompts ?? (IEnumerable<KernelFunction>)[]).Where(f => !names.Contains(f.Name))).ToList();
        var description = native.GetType().GetCustomAttribute<DescriptionAttribute>()?.Description;
        return KernelPluginFactory.CreateFromFunctions(name, description, functions);
    }
}
