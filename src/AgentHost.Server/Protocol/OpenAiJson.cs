using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Server.Protocol;

/// <summary>
/// JSON settings of the wire format: snake_case names, nulls left out unless a DTO says otherwise, and strict
/// reading (numbers are numbers, not strings; case-sensitive names as OpenAI sends them).
/// </summary>
internal static class OpenAiJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Comments and trailing commas are not JSON; refusing them keeps "malformed JSON" a clear 400.
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
        // Quotes as \" and non-ASCII as UTF-8, as OpenAI writes them (the default escapes both as \uXXXX, which
        // is valid but bloats generated text); the body is JSON over HTTP, never inlined into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
