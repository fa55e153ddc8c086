using AgentHost.Server.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.WebUi;

/// <summary>Maps the browser UI (chat, plugins, model panel) at <c>/</c>, served from files embedded in this assembly.</summary>
public static class WebUiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps GET <c>/</c> (the page) and GET <c>/ui/{path}</c> (its scripts, styles and vendored libraries) unless
    /// <see cref="ServerOptions.WebUi"/> is false. The files are open: the page asks for the API key when an API call
    /// gets 401, and sends it on every call. Responses carry an ETag (304 when unchanged), <c>Cache-Control: no-cache</c>
    /// (revalidate, so a new build is seen at once) and, for the page, a Content-Security-Policy allowing only its own
    /// scripts and styles: model text that slipped through as HTML still could not run.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentHostWebUi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<ServerOptions>>().Value.WebUi) return endpoints;
        endpoints.MapGet("/", RequestMetrics.Track("webui", context => ServeAsync(context, "index.html")));
        endpoints.MapGet("/ui/{**path}", RequestMetrics.Track("webui", context => ServeAsync(context, (string?)context.Request.RouteValues["path"] ?? "")));
        return endpoints;
    }

    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static async Task ServeAsync(HttpContext context, string path)
    {
        var response = context.Response;
        // index.html only at "/": one URL per page keeps relative links and caching simple.
        var asset = path == "index.html" && context.Request.Path == "/" || path != "index.html" ? WebUiAssets.Find(path) : null;
        if (asset is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"No web UI file '{path}'.", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var headers = response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }
        if (context.Request.Headers.IfNoneMatch.Any(tag => tag == asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
    }
}
