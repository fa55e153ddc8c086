using static AgentHost.Grammar.Tests.ToolCalls.ToolFixtures;

namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>A reply in some format and what parsing it must give (call ids from <see cref="ToolFixtures.Counter"/> unless in the reply).</summary>
public sealed record ParseScenario(string Name, ToolCallFormatKind Format, string Output, string Text, (string Id, string Name, string Args)[] Calls)
{
    public override string ToString() => Name;
}

/// <summary>Replies for each format, including edge cases (no call, invalid call, unfinished opener).</summary>
public static class ParseScenarios
{
    public static readonly ParseScenario[] All =
    [
        new("hermes-text-then-call", ToolCallFormatKind.Hermes, "I'll check the weather." + HermesCall("get_weather", WeatherArgs),
            "I'll check the weather.", [("id1", "get_weather", WeatherArgs)]),
        new("hermes-two-calls", ToolCallFormatKind.Hermes, HermesCall("get_weather", WeatherArgs).TrimStart() + HermesCall("search", SearchArgs),
            "", [("id1", "get_weather", WeatherArgs), ("id2", "search", SearchArgs)]),
        new("hermes-plain-text-with-angle-brackets", ToolCallFormatKind.Hermes, "1 < 2 and <b>bold</b> <tool_cal> ok <",
            "1 < 2 and <b>bold</b> <tool_cal> ok <", []),
        new("hermes-invalid-block-is-text", ToolCallFormatKind.Hermes, "<tool_call>\nnot json\n</tool_call>",
            "<tool_call>\nnot json\n</tool_call>", []),
        new("hermes-missing-closer-at-end", ToolCallFormatKind.Hermes, "<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"x\"}}",
            "", [("id1", "search", """{"query": "x"}""")]),
        new("hermes-text-after-call", ToolCallFormatKind.Hermes, HermesCall("search", SearchArgs).TrimStart() + "\nDone, caf\u00e9 \U0001F600.",
            "Done, caf\u00e9 \U0001F600.", [("id1", "search", SearchArgs)]),
        new("hermes-string-arguments", ToolCallFormatKind.Hermes, "<tool_call>\n{\"name\": \"search\", \"arguments\": \"{\\\"query\\\": \\\"x\\\"}\"}\n</tool_call>",
            "", [("id1", "search", """{"query": "x"}""")]),
        new("llama3-call", ToolCallFormatKind.Llama3Json, Llama3Call("get_weather", WeatherArgs),
            "", [("id1", "get_weather", WeatherArgs)]),
        new("llama3-python-tag", ToolCallFormatKind.Llama3Json, "<|python_tag|>" + Llama3Call("search", SearchArgs),
            "", [("id1", "search", SearchArgs)]),
        new("llama3-leading-whitespace", ToolCallFormatKind.Llama3Json, " \n" + Llama3Call("search", SearchArgs),
            "", [("id1", "search", SearchArgs)]),
        new("llama3-json-mid-text-is-text", ToolCallFormatKind.Llama3Json, "Sure: {\"name\": \"x\"}",
            "Sure: {\"name\": \"x\"}", []),
        new("llama3-other-json-is-text", ToolCallFormatKind.Llama3Json, "{\"note\": 1} and more",
            "{\"note\": 1} and more", []),
        new("mistral-two-calls", ToolCallFormatKind.MistralNemo, MistralCalls(("get_weather", WeatherArgs, "abc123XYZ"), ("search", SearchArgs, "def456UVW")),
            "", [("abc123XYZ", "get_weather", WeatherArgs), ("def456UVW", "search", SearchArgs)]),
        new("mistral-text-then-call", ToolCallFormatKind.MistralNemo, "Let me look. " + MistralCalls(("search", SearchArgs, "a1b2c3d4e")),
            "Let me look.", [("a1b2c3d4e", "search", SearchArgs)]),
        new("mistral-invalid-is-text", ToolCallFormatKind.MistralNemo, "[TOOL_CALLS] oops",
            "[TOOL_CALLS] oops", []),
        new("mistral-unfinished-opener-is-text", ToolCallFormatKind.MistralNemo, "Array [1] [TOOL",
            "Array [1] [TOOL", []),
        new("generic-call", ToolCallFormatKind.GenericJson, GenericCalls(("get_weather", WeatherArgs)),
            "", [("id1", "get_weather", WeatherArgs)]),
        new("generic-two-calls", ToolCallFormatKind.GenericJson, GenericCalls(("get_weather", WeatherArgs), ("search", SearchArgs)),
            "", [("id1", "get_weather", WeatherArgs), ("id2", "search", SearchArgs)]),
        new("generic-response", ToolCallFormatKind.GenericJson, "{\"response\": \"Hello, \\\"world\\\"\\n\\u00e9 \\ud83d\\ude00 \U0001F600\"}",
            "Hello, \"world\"\n\u00e9 \U0001F600 \U0001F600", []),
        new("generic-plain-text", ToolCallFormatKind.GenericJson, "Just text {not json}",
            "Just text {not json}", []),
        new("generic-unknown-object-is-text", ToolCallFormatKind.GenericJson, "{\"other\": 1}",
            "{\"other\": 1}", []),
    ];

    public static TheoryData<string> Names() => new(All.Select(s => s.Name));

    public static ParseScenario Get(string name) => All.Single(s => s.Name == name);
}
