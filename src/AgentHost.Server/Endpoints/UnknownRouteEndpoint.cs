using AgentHost.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Server.Endpoints;

/// <summary>Any other /v1 path or method: OpenAI's 404 body instead of an empty one.</summary>
internal static class UnknownRouteEndpoint
{
    public static Task HandleAsync(HttpContext context) =>
        throw OpenAiRequestException.NotFound($"Unknown request URL: {context.Request.Method} {context.Request.Path}.", null, "unknown_url");
}
