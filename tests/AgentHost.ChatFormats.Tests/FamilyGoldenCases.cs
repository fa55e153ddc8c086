using System.Text.Json.Nodes;
using AgentHost.ChatFormats.Parsing;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Tests;

/// <summary>
/// Reads the llama.cpp golden cases (Goldens/llama-peg-cases.json: test-chat.cpp's cases; template-cases.json: own
/// cases per template) and checks a family against them: the same message as llama.cpp parsed, whole and streamed,
/// and a grammar that accepts the output.
/// </summary>
internal static class FamilyGoldenCases
{
    private static readonly Lazy<Dictionary<string, JsonObject>> Cases = new(Load);

    private static string GoldensDir => Path.Combine(AppContext.BaseDirectory, "Goldens");

    private static Dictionary<string, JsonObject> Load()
    {
        var all = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in new[] { "llama-peg-cases.json", "template-cases.json" })
        {
            var path = Path.Combine(GoldensDir, file);
            if (!File.Exists(path)) continue;
            var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            foreach (var c in root["cases"]!.AsArray())
            {
                var o = c!.AsObject();
                all[file[..5] + ":" + (string)o["id"]!] = o;
            }
        }
        return all;
    }

    /// <summary>Ids of the cases of <paramref name="templates"/> that llama.cpp parsed (a row saying "missing" when there is no data).</summary>
    public static TheoryData<string> Ids(params string[] templates)
    {
        var data = new TheoryData<string>();
        foreach (var (id, c) in Cases.Value)
        {
            var t = (string)c["template"]!;
            if (!templates.Any(x => x + ".jinja" == t)) continue;
            if (c["parsed"] is null || c["chat_params"] is null || c["parse_error"] is not null) continue;
            data.Add(id);
        }
        if (data.Count == 0) data.Add("missing:" + string.Join(",", templates));
        return data;
    }

    /// <param name="checkGrammar">False only for a case listed, with its reason, as a known grammar difference.</param>
    public static void Check(string id, bool checkGrammar = true)
    {
        Assert.True(Cases.Value.TryGetValue(id, out var c), $"golden case {id} is not in {GoldensDir} (the goldens branch provides it)");
        var template = ((string)c["template"]!)[..^".jinja".Length];
        var src = FamilyTestSupport.Template(template);
        var family = ChatFormats.Detect(src);
        Assert.True(family is not null, $"no family detected for {template}");
        var inputs = InputsOf(c);
        var plan = family.Build(src, inputs);
        var reply = (string)c["input"]!;
        var partial = (bool?)c["inputs"]!["is_partial"] ?? false;
        var expected = c["parsed"]!.AsObject();
        var got = plan.Parse(reply, partial);
        AssertSame(expected, got, id);
        if (partial) return;
        FamilyTestSupport.AssertStreamingMatchesWhole(plan, reply);
        var cp = c["chat_params"]!;
        if (checkGrammar && cp["grammar"] is not null && expected["tool_calls"]!.AsArray().Count > 0)
            FamilyTestSupport.AssertGrammarAccepts(plan, reply);
    }

    public static ChatFormatInputs InputsOf(JsonObject c)
    {
        var i = c["inputs"]!;
        var tools = new List<ToolDefinition>();
        if (i["tools"] is JsonArray arr)
        {
            foreach (var t in arr)
            {
                var f = t!["function"]!;
                tools.Add(new ToolDefinition((string)f["name"]!, (string?)f["description"], f["parameters"]?.DeepClone()));
            }
        }
        var choice = (string?)i["tool_choice"] switch
        {
            "required" => ToolChoice.Required,
            "none" => ToolChoice.None,
            _ => ToolChoice.Auto,
        };
        return new ChatFormatInputs
        {
            Tools = tools,
            ToolChoice = choice,
            ParallelToolCalls = (bool?)i["parallel_tool_calls"] ?? false,
            EnableThinking = (bool?)i["enable_thinking"] ?? true,
            ReasoningFormat = (string?)i["reasoning_format"] == "none" ? ReasoningFormat.None : ReasoningFormat.Auto,
            ResponseSchema = i["json_schema"]?.DeepClone(),
            GenerationPrompt = (string?)c["chat_params"]!["generation_prompt"] ?? "",
        };
    }

    private static void AssertSame(JsonObject expected, ParsedChatMessage got, string id)
    {
        var why = $"{id}\nexpected: {expected.ToJsonString()}\ngot: content={got.Content} reasoning={got.ReasoningContent} calls={string.Join(";", got.ToolCalls.Select(t => t.Name + t.Arguments))}";
        Assert.True(((string?)expected["content"] ?? "").Trim() == got.Content.Trim(), "content differs: " + why);
        Assert.True(((string?)expected["reasoning_content"] ?? "").Trim() == got.ReasoningContent.Trim(), "reasoning differs: " + why);
        var calls = expected["tool_calls"]!.AsArray();
        Assert.True(calls.Count == got.ToolCalls.Count, "tool call count differs: " + why);
        for (var k = 0; k < calls.Count; k++)
        {
            var e = calls[k]!;
            Assert.True((string)e["name"]! == got.ToolCalls[k].Name, "name differs: " + why);
            var eid = (string?)e["id"] ?? "";
            if (eid.Length > 0) Assert.True(eid == got.ToolCalls[k].Id, "id differs: " + why);
            var eargs = (string?)e["arguments"] ?? "";
            if (eargs.Length == 0) continue;
            var ej = TryParse(eargs);
            var gj = TryParse(got.ToolCalls[k].Arguments);
            Assert.True(ej is not null ? JsonNode.DeepEquals(ej, gj) : eargs == got.ToolCalls[k].Arguments, "arguments differ: " + why);
        }
    }

    private static JsonNode? TryParse(string s)
    {
        try { return JsonNode.Parse(s); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
