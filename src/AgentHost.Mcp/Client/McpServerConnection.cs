using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentHost.Mcp.Client;

/// <summary>What a configured MCP server is doing.</summary>
public enum McpServerState
{
    /// <summary>Starting or connecting (first attempt or after a failure).</summary>
    Connecting,
    /// <summary>Initialized; its tools are listed.</summary>
    Connected,
    /// <summary>Failed to start or died; waiting before the next attempt. Its tools are withdrawn.</summary>
    Failed,
}

/// <summary>
/// One configured MCP server, kept connected: started (stdio) or connected (HTTP) with the official SDK's client,
/// its tools listed, watched (session end, pings), and on failure logged as an error, its tools withdrawn and the
/// connection retried with a growing delay — the host keeps running, and the tools come back when the server does.
/// </summary>
public sealed class McpServerConnection : IAsyncDisposable
{
    private readonly McpServerSettings _settings;
    private readonly McpOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private int _disposed;
    private volatile IReadOnlyList<McpClientTool> _tools = [];
    private volatile TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal McpServerConnection(string name, McpServerSettings settings, McpOptions options, ILoggerFactory loggerFactory)
    {
        Name = name;
        _settings = settings;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("AgentHost.Mcp.Client");
    }

    /// <summary>The configured name (Mcp:Servers:&lt;name&gt;), also the kernel plugin's name.</summary>
    public string Name { get; }

    /// <summary>The current state.</summary>
    public McpServerState State { get; private set; } = McpServerState.Connecting;

    /// <summary>Why the last attempt failed or the session ended, while <see cref="State"/> is Failed.</summary>
    public string? LastError { get; private set; }

    /// <summary>The server's tools while connected (empty otherwise), as MEAI functions that call the server.</summary>
    public IReadOnlyList<McpClientTool> Tools => _tools;

    /// <summary>The tools as <see cref="AIFunction"/>s, for agents and chat clients.</summary>
    public IReadOnlyList<AIFunction> Functions => _tools;

    /// <summary>Raised after the tool list changed (connected, reconnected, withdrawn).</summary>
    public event Action<McpServerConnection>? ToolsChanged;

    /// <summary>Completes when the server is connected (now or after a reconnection), or throws on timeout.</summary>
    public Task WaitForConnectionAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        State == McpServerState.Connected ? Task.CompletedTask : _connected.Task.WaitAsync(timeout, cancellationToken);

    internal void Start() => _run ??= Task.Run(() => RunAsync(_stop.Token));

    private string Describe() => _settings.Url is { Length: > 0 } url ? url : string.Join(' ', [_settings.Command!, .. _settings.Args]);

    private IClientTransport CreateTransport()
    {
        if (_settings.Url is { Length: > 0 } url)
        {
            return new HttpClientTransport(new HttpClientTransportOptions
            {
                Name = Name,
                Endpoint = new Uri(url),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = _settings.Headers,
            }, _loggerFactory);
        }
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = Name,
            Command = _settings.Command!,
            Arguments = _settings.Args,
            EnvironmentVariables = _settings.Env,
            WorkingDirectory = _settings.WorkingDirectory,
            // A server's stderr is its log: kept at debug level, under the server's name.
            StandardErrorLines = line => _logger.LogDebug("MCP server {Server} stderr: {Line}", Name, line),
        }, _loggerFactory);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromSeconds(_options.ReconnectSeconds);
        while (!stop.IsCancellationRequested)
        {
            State = McpServerState.Connecting;
            try
            {
                await using var client = await McpClient.CreateAsync(CreateTransport(), new McpClientOptions
                {
                    ClientInfo = new Implementation { Name = "agenthost", Version = typeof(McpServerConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" },
                }, _loggerFactory, stop).ConfigureAwait(false);
                var tools = await client.ListToolsAsync(cancellationToken: stop).ConfigureAwait(false);
                _tools = tools.ToList();
                State = McpServerState.Connected;
                LastError = null;
                delay = TimeSpan.FromSeconds(_options.ReconnectSeconds);
                _logger.LogInformation("MCP server {Server} ({Endpoint}) connected: {Count} tools ({Tools})", Name, Describe(), tools.Count, string.Join(", ", tools.Select(t => t.Name)));
                ToolsChanged?.Invoke(this);
                _connected.TrySetResult();
                LastError = await SuperviseAsync(client, stop).ConfigureAwait(false);
                if (LastError is not null) _logger.LogError("MCP server {Server} ({Endpoint}) stopped: {Reason}; its tools are withdrawn until it is back (retrying in {Delay:0.#} s)", Name, Describe(), LastError, delay.TotalSeconds);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                LastError = ex.Message;
                _logger.LogError("MCP server {Server} ({Endpoint}) failed to start: {Error} (retrying in {Delay:0.#} s)", Name, Describe(), ex.Message, delay.TotalSeconds);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Withdraw();
            if (stop.IsCancellationRequested) break;
            State = McpServerState.Failed;
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, _options.MaxReconnectSeconds));
        }
        Withdraw();
    }

    /// <summary>Waits until the session ends or a ping fails; returns why (null when stopping).</summary>
    private async Task<string?> SuperviseAsync(McpClient client, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(_options.HealthCheckSeconds);
        while (!stop.IsCancellationRequested)
        {
            var tick = Task.Delay(interval, stop);
            if (await Task.WhenAny(client.Completion, tick).ConfigureAwait(false) == client.Completion)
            {
                var details = await client.Completion.ConfigureAwait(false);
                return details switch
                {
                    StdioClientCompletionDetails stdio => $"the process exited (code {stdio.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}){(details.Exception is { } e ? ": " + e.Message : "")}",
                    _ => details.Exception?.Message ?? "the session ended",
                };
            }
            if (stop.IsCancellationRequested) return null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(interval);
                await client.PingAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                return $"it did not answer a ping: {ex.Message}";
            }
        }
        return null;
    }

    private void Withdraw()
    {
        if (_tools.Count == 0 && State != McpServerState.Connected) return;
        _tools = [];
        if (_connected.Task.IsCompleted) _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ToolsChanged?.Invoke(this);
    }

    /// <summary>Stops supervising and closes the session (a stdio server's process is ended).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }
}
