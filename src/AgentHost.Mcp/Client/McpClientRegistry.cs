using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Mcp.Client;

/// <summary>
/// The configured MCP servers (Mcp:Servers), each an <see cref="McpServerConnection"/> started with the host and
/// kept connected in the background: start-up never waits for (or fails because of) a server. Gives their tools as
/// <see cref="AIFunction"/>s or as a kernel plugin per server, for the kernel and for agents
/// (<c>Agents:&lt;name&gt;:McpServers</c>).
/// </summary>
public sealed class McpClientRegistry : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, McpServerConnection> _connections;
    private readonly Dictionary<string, McpKernelPlugin> _plugins;

    /// <summary>Connections for every enabled server of <paramref name="options"/> (not started yet).</summary>
    public McpClientRegistry(IOptions<McpOptions> options, ILoggerFactory? loggerFactory = null)
    {
        var o = options.Value;
        _connections = o.Servers.Where(s => s.Value.Enabled)
            .ToDictionary(s => s.Key, s => new McpServerConnection(s.Key, s.Value, o, loggerFactory ?? NullLoggerFactory.Instance), StringComparer.OrdinalIgnoreCase);
        _plugins = _connections.ToDictionary(c => c.Key, c => new McpKernelPlugin(c.Value), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The enabled servers' names.</summary>
    public IReadOnlyCollection<string> ServerNames => _connections.Keys;

    /// <summary>The connection to a configured server.</summary>
    public McpServerConnection GetConnection(string server) =>
        _connections.TryGetValue(server, out var c) ? c
            : throw new KeyNotFoundException($"No MCP server '{server}' is configured (Mcp:Servers:{server}); configured: {(_connections.Count == 0 ? "none" : string.Join(", ", _connections.Keys.Order()))}.");

    /// <summary>A server's tools at this moment (empty while it is down).</summary>
    public IReadOnlyList<AIFunction> GetTools(string server) => GetConnection(server).Functions;

    /// <summary>The tools of several servers (e.g. an agent's McpServers), at this moment.</summary>
    public IReadOnlyList<AIFunction> GetTools(IEnumerable<string> servers) => servers.SelectMany(GetTools).ToList();

    /// <summary>A server's tools as a kernel plugin named after it, which follows the server (down: empty; back: its tools).</summary>
    public KernelPlugin GetPlugin(string server) =>
        _plugins.TryGetValue(server, out var p) ? p : throw new KeyNotFoundException(GetConnection(server).Name);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in _connections.Values) connection.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in _connections.Values) await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values) await connection.DisposeAsync().ConfigureAwait(false);
    }
}
