using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;

namespace AgentHost.Mcp.Client;

/// <summary>
/// A kernel plugin named after an MCP server whose functions are that server's tools right now: none while it is
/// down, all again when it is back. Tool names SK does not accept as function names (<c>get-sum</c>) are exposed
/// with underscores; the server is still called by its own name.
/// </summary>
public sealed partial class McpKernelPlugin : KernelPlugin
{
    private readonly McpServerConnection _connection;
    private (IReadOnlyList<ModelContextProtocol.Client.McpClientTool> Source, Dictionary<string, KernelFunction> Functions) _cache = ([], new());

    /// <summary>The plugin over <paramref name="connection"/>.</summary>
    public McpKernelPlugin(McpServerConnection connection) : base(connection.Name, $"Tools of the MCP server '{connection.Name}'.")
    {
        _connection = connection;
    }

    /// <summary>The function name a tool gets in the kernel.</summary>
    public static string FunctionName(string toolName) => Invalid().Replace(toolName, "_");

    private Dictionary<string, KernelFunction> Functions
    {
        get
        {
            var tools = _connection.Tools;
            var cache = _cache;
            if (ReferenceEquals(cache.Source, tools)) return cache.Functions;
            var functions = new Dictionary<string, KernelFunction>(StringComparer.OrdinalIgnoreCase);
            foreach (var tool in tools)
            {
                var name = FunctionName(tool.Name);
                // Cloned into this plugin, so FunctionChoiceBehavior finds it by plugin and name like any kernel function.
                functions.TryAdd(name, (name == tool.Name ? tool : tool.WithName(name)).AsKernelFunction().Clone(Name));
            }
            _cache = (tools, functions);
            return functions;
        }
    }

    /// <inheritdoc />
    public override int FunctionCount => Functions.Count;

    /// <inheritdoc />
    public override bool TryGetFunction(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KernelFunction? function) =>
        Functions.TryGetValue(name, out function);

    /// <inheritdoc />
    public override IEnumerator<KernelFunction> GetEnumerator() => Functions.Values.ToList().GetEnumerator();

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex Invalid();
}
