using System.Text.Json.Nodes;

namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>
/// Tools and example replies. Each reply is assembled exactly the way the real chat template renders an assistant
/// tool call (the tests check that the template source holds those fragments), so the examples match what a model
/// trained on the template writes.
/// </summary>
internal static class ToolFixtures
{
    public const string WeatherSchema =
        """{"type":"object","properties":{"location":{"type":"string","description":"City"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}""";

    public const string SearchSchema =
        """{"type":"object","properties":{"query":{"type":"string","minLength":1},"limit":{"type":"integer","minimum":1,"maximum":10}},"required":["query"]}""";

    public static IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new("get_weather", "Gets the current weather.", JsonNode.Parse(WeatherSchema)),
        new("search", "Searches the web.", JsonNode.Parse(SearchSchema)),
    ];

    public static string SchemaOf(string tool) => tool == "get_weather" ? WeatherSchema : SearchSchema;

    public const string WeatherArgs = """{"location": "Paris", "unit": "celsius"}""";
    public const string SearchArgs = """{"query": "llama.cpp grammars", "limit": 3}""";

    /// <summary>Qwen 2.5 / Hermes: <c>'\n&lt;tool_call&gt;\n{"name": "' + name + '", "arguments": ' + args|tojson + '}\n&lt;/tool_call&gt;'</c>.</summary>
    public static string HermesCall(string name, string args) => "\n<tool_call>\n{\"name\": \"" + name + "\", \"arguments\": " + args + "}\n</tool_call>";

    /// <summary>Llama 3.1-3.3: <c>'{"name": "' + name + '", ' + '"parameters": ' + args|tojson + "}"</c>.</summary>
    public static string Llama3Call(string name, string args) => "{\"name\": \"" + name + "\", " + "\"parameters\": " + args + "}";

    /// <summary>Mistral Nemo: <c>"[TOOL_CALLS][" + (function|tojson)[:-1] + ', "id": "' + id + '"}' ... "]"</c>.</summary>
    public static string MistralCalls(params (string Name, string Args, string Id)[] calls) =>
        "[TOOL_CALLS][" + string.Join(", ", calls.Select(c => "{\"name\": \"" + c.Name + "\", \"arguments\": " + c.Args + ", \"id\": \"" + c.Id + "\"}")) + "]";

    /// <summary>The generic format the system prompt describes.</summary>
    public static string GenericCalls(params (string Name, string Args)[] calls) =>
        "{\"tool_calls\": [" + string.Join(", ", calls.Select(c => "{\"name\": \"" + c.Name + "\", \"arguments\": " + c.Args + "}")) + "]}";

    /// <summary>Deterministic ids for tests.</summary>
    public static Func<string> Counter()
    {
        var n = 0;
        return () => $"id{++n}";
    }
}
