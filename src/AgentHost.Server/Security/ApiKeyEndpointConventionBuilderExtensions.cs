using AgentHost.Server.Errors;
using Microsoft.AspNetCore.Builder;

namespace AgentHost.Server.Security;

/// <summary>Puts endpoints mapped by other libraries (MapMcp) behind the server's optional API key.</summary>
public static class ApiKeyEndpointConventionBuilderExtensions
{
    /// <summary>
    /// When Server:ApiKey is set, each of these endpoints requires <c>Authorization: Bearer KEY</c> or
    /// <c>x-api-key: KEY</c>, answering 401 (with <c>WWW-Authenticate: Bearer</c>) otherwise.
    /// </summary>
    public static TBuilder RequireAgentHostApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            if (endpoint.RequestDelegate is { } next) endpoint.RequestDelegate = OpenAiErrorResponses.Wrap(ApiKeyAuthorization.Protect(next));
        });
        return builder;
    }
}
