using System.ComponentModel.DataAnnotations;

namespace AgentHost.Server;

/// <summary>
/// Settings of the OpenAI-compatible HTTP server, bound from the "Server" section of appsettings.json
/// (environment: AGENTHOST_Server__ApiKey and the like through the CLI).
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Server";

    /// <summary>
    /// Addresses Kestrel listens on, separated by ';'. Loopback by default so a local model is not exposed to the
    /// network by accident; port 0 picks a free port.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>When set, every endpoint but /health requires <c>Authorization: Bearer &lt;ApiKey&gt;</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest request body accepted; larger ones get 413 with an OpenAI-shaped error.</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Largest <c>max_tokens</c> (or <c>max_completion_tokens</c>) a request may ask for; null = the context window
    /// of one slot. A request without one is capped here too.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? MaxTokensLimit { get; set; }

    /// <summary>Seconds a client is told to wait (Retry-After) when the request queue is full.</summary>
    [Range(1, 3600)]
    public int BusyRetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// False (default): while one model is served, a request may name any model (clients with a hard-coded
    /// "gpt-3.5-turbo") and is served by it; the response names the model that answered. True: only the model's id
    /// and <see cref="ModelAliases"/> are accepted, anything else is 404 model_not_found.
    /// </summary>
    public bool StrictModelNames { get; set; }

    /// <summary>Serve the web UI (chat, plugins, model panel) at <c>/</c>; its files are embedded in the server assembly.</summary>
    public bool WebUi { get; set; } = true;

    /// <summary>Other names the served model answers to (--alias); listed by /v1/models and accepted with <see cref="StrictModelNames"/>.</summary>
    public List<string> ModelAliases { get; set; } = [];
}
