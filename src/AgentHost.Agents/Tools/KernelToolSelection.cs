using Microsoft.SemanticKernel;

namespace AgentHost.Agents.Tools;

/// <summary>The kernel functions an agent declaration names, each marked when it needs approval.</summary>
public sealed record KernelToolSelection(IReadOnlyList<(KernelFunction Function, bool RequiresApproval)> Functions)
{
    /// <summary>
    /// Resolves "Plugin" and "Plugin.Function" entries against the kernel's plugins. Unknown names and approval
    /// entries that name no selected tool are errors naming the key.
    /// </summary>
    public static KernelToolSelection Resolve(string agent, IReadOnlyList<string> tools, IReadOnlyList<string> approvalRequired, Kernel kernel)
    {
        var selected = new List<KernelFunction>();
        for (var i = 0; i < tools.Count; i++)
        {
            var entry = tools[i]?.Trim() ?? "";
            var key = $"Agents:{agent}:Tools[{i}]";
            var dot = entry.IndexOf('.', StringComparison.Ordinal);
            var pluginName = dot < 0 ? entry : entry[..dot];
            if (!kernel.Plugins.TryGetPlugin(pluginName, out var plugin))
                throw new AgentConfigurationException(key, $"there is no plugin '{pluginName}'; available: {string.Join(", ", kernel.Plugins.Select(p => p.Name).Order())}");
            if (dot < 0)
            {
                selected.AddRange(plugin);
                continue;
            }
            var functionName = entry[(dot + 1)..];
            if (!plugin.TryGetFunction(functionName, out var function))
                throw new AgentConfigurationException(key, $"plugin {plugin.Name} has no function '{functionName}'; it has: {string.Join(", ", plugin.Select(f => f.Name).Order())}");
            selected.Add(function);
        }
        var distinct = selected.DistinctBy(f => (f.PluginName, f.Name)).ToList();
        var approval = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < approvalRequired.Count; i++)
        {
            var name = approvalRequired[i]?.Trim() ?? "";
            if (!distinct.Any(f => string.Equals($"{f.PluginName}.{f.Name}", name, StringComparison.OrdinalIgnoreCase)))
                throw new AgentConfigurationException($"Agents:{agent}:ApprovalRequired[{i}]", $"'{name}' is not one of this agent's tools (Plugin.Function)");
            approval.Add(name);
        }
        return new KernelToolSelection(distinct.Select(f => (f, approval.Contains($"{f.PluginName}.{f.Name}"))).ToList());
    }
}
