using System.Text.Json;

namespace AgentHost.Grammar;

/// <summary>A tool call read from model output.</summary>
/// <param name="Id">The call id from the output, or a generated one when the format has none.</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments object as JSON text.</param>
public sealed record ParsedToolCall(string Id, string Name, string ArgumentsJson)
{
    /// <summary>The arguments parsed into a detached <see cref="JsonElement"/>.</summary>
    public JsonElement ParseArguments()
    {
        using var doc = JsonDocument.Parse(ArgumentsJson);
        return doc.RootElement.Clone();
    }
}
