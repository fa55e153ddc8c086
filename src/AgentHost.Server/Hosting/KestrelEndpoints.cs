using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentHost.Server.Hosting;

/// <summary>
/// Applies <see cref="ServerOptions.Urls"/> to Kestrel. Only http:// is served (TLS belongs to a reverse proxy in
/// front); "localhost" binds the loopback addresses, an IP binds that address, "*" or "+" every address.
/// </summary>
internal static class KestrelEndpoints
{
    public static void Apply(KestrelServerOptions kestrel, ServerOptions options)
    {
        foreach (var raw in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (host, port) = Parse(raw);
            if (host is "localhost") kestrel.ListenLocalhost(port);
            else if (host is "*" or "+" or "0.0.0.0") kestrel.ListenAnyIP(port);
            else kestrel.Listen(IPAddress.Parse(host), port);
        }
    }

    /// <summary>Host and port of one URL; throws naming Server:Urls when it is not a plain http URL.</summary>
    public static (string Host, int Port) Parse(string url)
    {
        // Uri rejects "*" and "+" as hosts; give them a stand-in to parse the rest.
        var wildcard = url.Contains("://*") ? "*" : url.Contains("://+") ? "+" : null;
        var parsable = wildcard is null ? url : url.Replace("://" + wildcard, "://0.0.0.0");
        if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath is not ("/" or ""))
            throw new InvalidOperationException($"Server:Urls: '{url}' is not an http://HOST:PORT address (https is not served; put a TLS proxy in front).");
        var host = wildcard ?? (uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns ? "localhost" : uri.Host.Trim('[', ']'));
        if (host != "localhost" && wildcard is null && !IPAddress.TryParse(host, out _))
            throw new InvalidOperationException($"Server:Urls: '{url}' names the host '{host}'; use an IP address, localhost or *.");
        return (host, uri.Port);
    }
}
