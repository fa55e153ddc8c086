namespace AgentHost.Mcp.Client;

/// <summary>
/// The MCP servers whose tools AgentHost's kernel (and agents) may call, bound from the "Mcp" section of
/// appsettings.json: <c>Mcp:Servers:&lt;name&gt;</c> is either a stdio server (Command, Args, Env) or a Streamable
/// HTTP one (Url, Headers).
/// </summary>
public sealed class McpOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mcp";

    /// <summary>The servers by name; the name is also the kernel plugin's name (letters, digits, underscores).</summary>
    public Dictionary<string, McpServerSettings> Servers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Seconds before the first reconnection attempt after a server fails or dies; doubles up to <see cref="MaxReconnectSeconds"/>.</summary>
    public double ReconnectSeconds { get; set; } = 2;

    /// <summary>Longest wait between reconnection attempts.</summary>
    public double MaxReconnectSeconds { get; set; } = 60;

    /// <summary>Seconds between pings of a connected server (a server that stops answering is reconnected).</summary>
    public double HealthCheckSeconds { get; set; } = 15;
}

/// <summary>One MCP server: a command to start (stdio) or a URL to connect to (Streamable HTTP).</summary>
public sealed class McpServerSettings
{
    /// <summary>stdio: the program to start, e.g. <c>npx</c> or <c>node</c>.</summary>
    public string? Command { get; set; }

    /// <summary>stdio: its arguments.</summary>
    public List<string> Args { get; set; } = [];

    /// <summary>stdio: environment variables added to (or, with a null value, removed from) the inherited environment.</summary>
    public Dictionary<string, string?> Env { get; set; } = [];

    /// <summary>stdio: the working directory (default: the current one).</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Streamable HTTP: the server's endpoint, e.g. http://127.0.0.1:3001/mcp.</summary>
    public string? Url { get; set; }

    /// <summary>Streamable HTTP: headers sent with every request (e.g. Authorization).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>False leaves the server configured but not started.</summary>
    public bool Enabled { get; set; } = true;
}
