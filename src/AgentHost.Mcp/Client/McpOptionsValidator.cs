using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AgentHost.Mcp.Client;

/// <summary>Checks Mcp:Servers at start, with messages naming the key.</summary>
internal sealed partial class McpOptionsValidator : IValidateOptions<McpOptions>
{
    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex ServerName();

    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        var failures = new List<string>();
        if (options.ReconnectSeconds <= 0) failures.Add("Mcp:ReconnectSeconds must be greater than 0.");
        if (options.MaxReconnectSeconds < options.ReconnectSeconds) failures.Add("Mcp:MaxReconnectSeconds must be at least Mcp:ReconnectSeconds.");
        if (options.HealthCheckSeconds <= 0) failures.Add("Mcp:HealthCheckSeconds must be greater than 0.");
        foreach (var (server, settings) in options.Servers)
        {
            var key = $"Mcp:Servers:{server}";
            if (!ServerName().IsMatch(server)) failures.Add($"{key}: a server name must be 1-64 letters, digits or underscores (it names the kernel plugin).");
            var hasCommand = !string.IsNullOrWhiteSpace(settings.Command);
            var hasUrl = !string.IsNullOrWhiteSpace(settings.Url);
            if (hasCommand == hasUrl) failures.Add($"{key}: set either Command (a stdio server) or Url (a Streamable HTTP server), not {(hasCommand ? "both" : "neither")}.");
            if (hasUrl && (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                failures.Add($"{key}:Url must be an absolute http:// or https:// URL, got '{settings.Url}'.");
            if (!hasCommand && (settings.Args.Count > 0 || settings.Env.Count > 0)) failures.Add($"{key}: Args and Env apply to a stdio server (Command).");
            if (!hasUrl && settings.Headers.Count > 0) failures.Add($"{key}:Headers apply to an HTTP server (Url).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
