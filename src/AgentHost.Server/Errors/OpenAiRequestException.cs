using Microsoft.AspNetCore.Http;

namespace AgentHost.Server.Errors;

/// <summary>
/// A request the server refuses, carrying what the OpenAI-shaped error body and HTTP status say. Thrown by request
/// reading and mapping; turned into a response by <see cref="OpenAiErrorResponses"/>.
/// </summary>
internal sealed class OpenAiRequestException(int statusCode, string message, string type, string? param = null, string? code = null)
    : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Type { get; } = type;
    public string? Param { get; } = param;
    public string? Code { get; } = code;

    /// <summary>Seconds for a Retry-After header, when the client should try again.</summary>
    public int? RetryAfterSeconds { get; init; }

    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string ServerError = "server_error";

    public static OpenAiRequestException BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, InvalidRequest, param, code);

    public static OpenAiRequestException NotFound(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status404NotFound, message, InvalidRequest, param, code);
}
