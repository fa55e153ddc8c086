using System.Text.Json.Serialization;

namespace AgentHost.Server.Protocol;

/// <summary>The error body every OpenAI endpoint returns: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record OpenAiErrorBody(OpenAiErrorDetail Error);

/// <summary>The fields of an OpenAI error; <c>param</c> and <c>code</c> are written even when null, as OpenAI does.</summary>
internal sealed record OpenAiErrorDetail(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
