using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins;

/// <summary>
/// The prompt functions under prompts/&lt;Plugin&gt;/&lt;Function&gt;/{skprompt.txt,config.json}, loaded once with
/// Semantic Kernel's prompt-directory support (descriptions, input variables with defaults, execution settings come
/// from config.json). Native plugins invoke these functions; the kernel exposes the ones no native function wraps.
/// </summary>
public sealed class PromptLibrary
{
    private readonly Dictionary<string, KernelPlugin> _plugins;

    public PromptLibrary(string directory, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(Directory))
            throw new DirectoryNotFoundException($"Prompt directory not found: {Directory} (set Plugins:PromptsDirectory).");

        var builder = Kernel.CreateBuilder();
        if (loggerFactory is not null) builder.Services.AddSingleton(loggerFactory);
        var kernel = builder.Build();
        _plugins = new Dictionary<string, KernelPlugin>(StringComparer.OrdinalIgnoreCase);
        foreach (var pluginDir in System.IO.Directory.GetDirectories(Directory).Order(StringComparer.Ordinal))
        {
            // A folder without function folders holds other prompt files (prompts/Agents/*.md: agent instructions).
            if (System.IO.Directory.GetDirectories(pluginDir).Length == 0) continue;
            // SK silently skips a function folder that lacks a file; a half-written prompt is an error here instead.
            foreach (var functionDir in System.IO.Directory.GetDirectories(pluginDir))
            {
                foreach (var file in new[] { "skprompt.txt", "config.json" })
                {
                    if (!File.Exists(Path.Combine(functionDir, file)))
                        throw new FileNotFoundException($"Prompt function {Path.GetFileName(pluginDir)}.{Path.GetFileName(functionDir)} has no {file} in {functionDir}.", Path.Combine(functionDir, file));
                }
            }
            var plugin = kernel.CreatePluginFromPromptDirectory(pluginDir, Path.GetFileName(pluginDir));
            _plugins[plugin.Name] = plugin;
        }
    }

    /// <summary>prompts/ next to the app (the AgentHost.Plugins build copies the repository's prompts/ there).</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "prompts");

    /// <summary>The absolute folder the prompts were loaded from.</summary>
    public string Directory { get; }

    public IReadOnlyCollection<KernelPlugin> Plugins => _plugins.Values;

    public KernelPlugin GetPlugin(string plugin) =>
        _plugins.TryGetValue(plugin, out var p) ? p
            : throw new KeyNotFoundException($"No prompt plugin '{plugin}' in {Directory}; found: {string.Join(", ", _plugins.Keys.Order())}.");

    /// <summary>The prompt function <paramref name="plugin"/>.<paramref name="function"/>.</summary>
    public KernelFunction this[string plugin, string function] =>
        GetPlugin(plugin).TryGetFunction(function, out var f) ? f
            : throw new KeyNotFoundException($"No prompt function '{plugin}.{function}' in {Directory}; {plugin} has: {string.Join(", ", GetPlugin(plugin).Select(x => x.Name).Order())}.");

    /// <summary>The raw template text of a prompt function (used to size the token budget left for its input).</summary>
    public string TemplateText(string plugin, string function) =>
        File.ReadAllText(Path.Combine(Directory, GetPlugin(plugin).Name, this[plugin, function].Name, "skprompt.txt"));
}
