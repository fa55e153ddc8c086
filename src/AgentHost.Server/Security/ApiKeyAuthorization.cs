using System.Security.Cryptography;
using System.Text;
using AgentHost.Server.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Security;

/// <summary>
/// The optional API key: when <see cref="ServerOptions.ApiKey"/> is set, a request must carry
/// <c>Authorization: Bearer &lt;key&gt;</c> (what every OpenAI client sends) or <c>x-api-key: &lt;key&gt;</c> (what
/// Anthropic clients send), else 401, shaped by the endpoint's error writer.
/// </summary>
internal static class ApiKeyAuthorization
{
    public static RequestDelegate Protect(RequestDelegate next) => context =>
    {
        var expected = context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.ApiKey;
        if (string.IsNullOrEmpty(expected)) return next(context);

        string? presented = null;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) presented = header["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(presented)) presented = context.Request.Headers["x-api-key"].ToString().Trim();
        if (string.IsNullOrEmpty(presented))
            throw new OpenAiRequestException(StatusCodes.Status401Unauthorized,
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY) or in an x-api-key header.",
                OpenAiRequestException.InvalidRequest, null, "missing_api_key");
        if (!KeysMatch(presented, expected))
            throw new OpenAiRequestException(StatusCodes.Status401Unauthorized,
                "Incorrect API key provided.", OpenAiRequestException.InvalidRequest, null, "invalid_api_key");
        return next(context);
    };

    /// <summary>Compares hashes in constant time, so neither the key's content nor its length leaks through timing.</summary>
    private static bool KeysMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
