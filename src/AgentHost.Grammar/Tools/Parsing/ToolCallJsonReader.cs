using System.Text.Json;

namespace AgentHost.Grammar;

/// <summary>Reads call objects (<c>{"name": ..., "arguments"|"parameters": ..., "id"?: ...}</c>) leniently.</summary>
internal static class ToolCallJsonReader
{
    private static readonly string[] ArgumentKeys = ["arguments", "parameters"];

    /// <summary>Parses <paramref name="json"/>; null when it is not well-formed JSON.</summary>
    public static JsonElement? Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The call in <paramref name="element"/>, or null when it is not a call object.</summary>
    public static ParsedToolCall? ReadCall(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        if (!element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(name.GetString())) return null;
        var arguments = "{}";
        foreach (var key in ArgumentKeys)
        {
            if (!element.TryGetProperty(key, out var args)) continue;
            if (args.ValueKind == JsonValueKind.Object) arguments = args.GetRawText();
            // Some models (and templates) double-encode the arguments as a JSON string.
            else if (args.ValueKind == JsonValueKind.String && Parse(args.GetString()!) is { ValueKind: JsonValueKind.Object } inner) arguments = inner.GetRawText();
            else return null;
            break;
        }
        var id = element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String && idElement.GetString() is { Length: > 0 } s
            ? s
            : ""; // filled in when the call is released, so re-reading an unfinished block draws no ids
        return new ParsedToolCall(id, name.GetString()!, arguments);
    }

    /// <summary>Gives calls without an id one from <paramref name="idFactory"/>.</summary>
    public static IEnumerable<ParsedToolCall> WithIds(IEnumerable<ParsedToolCall> calls, Func<string> idFactory) =>
        calls.Select(c => c.Id.Length == 0 ? c with { Id = idFactory() } : c);

    /// <summary>Calls from an object or an array of objects; null if any element is not a call.</summary>
    public static List<ParsedToolCall>? ReadCalls(JsonElement element)
    {
        var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : [element];
        var calls = new List<ParsedToolCall>();
        foreach (var item in items)
        {
            if (ReadCall(item) is not { } call) return null;
            calls.Add(call);
        }
        return calls.Count == 0 ? null : calls;
    }
}
