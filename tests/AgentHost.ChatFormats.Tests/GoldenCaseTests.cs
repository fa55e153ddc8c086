using System.Text.Json.Nodes;
using AgentHost.Grammar;
using static AgentHost.ChatFormats.Tests.FamilyTestSupport;

namespace AgentHost.ChatFormats.Tests;

/// <summary>
/// llama.cpp's own parse of its test cases (llama-peg-cases.json: every case of test-chat.cpp's
/// test_template_output_peg_parsers) and of our per-template cases (template-cases.json), for every template a family
/// detects: ours must give the same message, whole and streamed byte by byte, and the grammar must accept the output.
/// The data comes from llama.cpp itself (scripts/chat-format-goldens).
/// </summary>
public class GoldenCaseTests
{
    private static string GoldensDir => Path.Combine(AppContext.BaseDirectory, "Goldens");

    public static IEnumerable<object[]> Cases()
    {
        var rows = new List<object[]>();
        foreach (var (file, own) in new[] { ("llama-peg-cases.json", false), ("template-cases.json", true) })
        {
            var path = Path.Combine(GoldensDir, file);
            if (!File.Exists(path)) continue;
            var root = JsonNode.Parse(File.ReadAllText(path))!;
            foreach (var c in root["cases"]!.AsArray())
            {
                if (c is null || c["input"] is null || c["chat_params"] is null) continue;
                // Our own cases: the truth is what llama.cpp parsed; where llama.cpp could not parse, there is none.
                if (own && c["parsed"] is null) continue;
                var template = c["template"]!.GetValue<string>();
                var src = Template(template[..^".jinja".Length]);
                var family = ChatFormats.Detect(src);
                if (family is null) continue; // generic JSON fallback: reported by GoldenCoverageTests
                rows.Add([file, c["id"]!.GetValue<string>()]);
            }
        }
        return rows;
    }

    private static readonly Dictionary<string, JsonNode> Loaded = [];

    private static JsonNode Case(string file, string id)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(file, out var root))
            {
                root = JsonNode.Parse(File.ReadAllText(Path.Combine(GoldensDir, file)))!;
                Loaded[file] = root;
            }
            return root["cases"]!.AsArray().First(c => c!["id"]!.GetValue<string>() == id)!;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden_case_parses_as_llama_cpp_does(string file, string id)
    {
        var c = Case(file, id);
        var own = file == "template-cases.json";
        var template = c["template"]!.GetValue<string>();
        var src = Template(template[..^".jinja".Length]);
        var family = ChatFormats.Detect(src)!;
        if (KnownDifferences.TryGetValue(id, out _)) return; // see KnownDifferences: ours differs from llama.cpp on purpose
        var inputs = InputsOf(c);
        var reply = c["input"]!.GetValue<string>();
        (inputs, reply) = MoveContinuationIntoReply(c, inputs, reply);
        var plan = family.Build(src, inputs);
        var expected = own ? c["parsed"]! : c["expected"]!;
        var partial = c["inputs"]!["is_partial"]?.GetValue<bool>() == true;

        var msg = plan.Parse(reply, partial);
        var where = $"{id} ({family.Name})\nreply: {reply}\n";
        Assert.True(expected["content"]!.GetValue<string>().Trim() == msg.Content.Trim(), where + "content: " + msg.Content);
        Assert.True(expected["reasoning_content"]!.GetValue<string>().Trim() == msg.ReasoningContent.Trim(), where + "reasoning: " + msg.ReasoningContent);
        var calls = expected["tool_calls"]!.AsArray();
        Assert.True(calls.Count == msg.ToolCalls.Count, where + "calls: " + string.Join(" ", msg.ToolCalls));
        for (var i = 0; i < calls.Count; i++)
        {
            Assert.Equal(calls[i]!["name"]!.GetValue<string>(), msg.ToolCalls[i].Name);
            var args = calls[i]!["arguments"]!.GetValue<string>();
            if (!partial)
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(args), JsonNode.Parse(msg.ToolCalls[i].Arguments)), where + "args: " + msg.ToolCalls[i].Arguments);
            var expectedId = calls[i]!["id"]?.GetValue<string>() ?? "";
            if (expectedId.Length > 0) Assert.Equal(expectedId, msg.ToolCalls[i].Id);
        }
        if (partial) return;
        AssertStreamingMatchesWhole(plan, reply);
        // llama.cpp's own grammar accepted these outputs (self_check); ours must too.
        // Under required tool choice our grammar goes straight to the call (a weak model must not talk until its token
        // limit); text before the call, which llama.cpp's grammar allows, is still parsed but not generated.
        var requiredWithText = inputs.ToolChoice.Mode == ToolChoiceMode.Required && expected["content"]!.GetValue<string>().Trim().Length > 0;
        if (plan.Grammar is not null && calls.Count > 0 && !requiredWithText && c["self_check"]?["passed"]?.GetValue<bool>() == true)
            AssertGrammarAcceptsAfterThinking(plan, reply);
    }

    /// <summary>
    /// As <see cref="FamilyTestSupport.AssertGrammarAccepts"/>, but a call opener written inside the thinking block does
    /// not trigger the lazy grammar (llama.cpp does not constrain reasoning).
    /// </summary>
    internal static void AssertGrammarAcceptsAfterThinking(ChatFormatPlan plan, string reply)
    {
        var end = plan.ThinkingEndTags.Count == 0 || !plan.GrammarLazy || !plan.Inputs.ExtractReasoning
            ? -1
            : ThinkingEnd(plan, reply);
        if (end <= 0)
        {
            AssertGrammarAccepts(plan, reply);
            return;
        }
        var full = plan.Inputs.GenerationPrompt + reply;
        var offset = plan.Inputs.GenerationPrompt.Length + end;
        var rest = full[offset..];
        var pos = TriggerPosition(plan with { Inputs = plan.Inputs with { GenerationPrompt = "" } }, rest);
        Assert.True(pos >= 0, "no trigger fired after thinking in: " + full);
        var recognizer = AgentHost.Grammar.Tests.Recognizer.EarleyRecognizer.FromText(plan.Grammar!);
        Assert.True(recognizer.Accepts(rest[pos..]), $"grammar rejects:\n{rest[pos..]}\n---\n{plan.Grammar}");
    }

    /// <summary>
    /// Where the thinking ends in the reply: after the first end tag found, or at it when the tag is itself a call
    /// opener (DeepSeek V3.2/V4, Qwen 3.5: a call also ends the thinking); -1 when none is found.
    /// </summary>
    private static int ThinkingEnd(ChatFormatPlan plan, string reply)
    {
        var best = -1;
        foreach (var t in plan.ThinkingEndTags)
        {
            var k = reply.IndexOf(t, StringComparison.Ordinal);
            if (k < 0) continue;
            var end = plan.TriggerWords.Contains(t) ? k : k + t.Length;
            if (best < 0 || k < best) best = end;
        }
        return best;
    }

    /// <summary>
    /// Cases where our parse differs from llama.cpp's by design, with the reason; each is covered by a test of its own.
    /// </summary>
    internal static readonly Dictionary<string, string> KnownDifferences = new(StringComparer.Ordinal)
    {
        // The set_flags call of these cases carries Python-style values (True, ['damage', '退款']) that the templates
        // print in history; llama.cpp v0.5.0 silently drops the call, ours reads it as typed JSON
        // (FamilyParsingTests.Qwen35_python_style_values_are_typed_by_the_schema and the families' own tests).
        ["Qwen3.5-4B.jinja#parallel_tool_calls"] = "python-style values",
        ["Qwen3-Coder.jinja#parallel_tool_calls"] = "python-style values",
        ["StepFun3.5-Flash.jinja#parallel_tool_calls"] = "python-style values",
        ["NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.jinja#parallel_tool_calls"] = "python-style values",
    };

    /// <summary>
    /// A case that continues a prefilled assistant message has that message's text at the end of llama.cpp's generation
    /// prompt. Our plans read what follows the template's own opener, so the prefilled text is handed over as the start of
    /// the reply: the text parsed (prompt + reply) is the same.
    /// </summary>
    internal static (ChatFormatInputs, string) MoveContinuationIntoReply(JsonNode c, ChatFormatInputs inputs, string reply)
    {
        if (c["inputs"]!["continue_final_message"]?.GetValue<string>() is not { } mode || mode == "none") return (inputs, reply);
        var gen = inputs.GenerationPrompt;
        var last = c["inputs"]!["messages"]!.AsArray().LastOrDefault();
        foreach (var key in new[] { "content", "reasoning_content" })
        {
            if (last?[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } text && gen.EndsWith(text, StringComparison.Ordinal))
                return (inputs with { GenerationPrompt = gen[..^text.Length] }, text + reply);
        }
        return (inputs, reply);
    }

    internal static ChatFormatInputs InputsOf(JsonNode c)
    {
        var i = c["inputs"]!;
        var tools = new List<ToolDefinition>();
        if (i["tools"] is JsonArray ts)
        {
            foreach (var t in ts)
            {
                var f = t!["function"]!;
                tools.Add(new ToolDefinition(f["name"]!.GetValue<string>(), f["description"]?.GetValue<string>(), f["parameters"]?.DeepClone()));
            }
        }
        var choice = i["tool_choice"]?.GetValue<string>() switch
        {
            "required" => ToolChoice.Required,
            "none" => ToolChoice.None,
            _ => ToolChoice.Auto,
        };
        var schema = i["json_schema"] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => JsonNode.Parse(v.GetValue<string>()),
            var n => n.DeepClone(),
        };
        return new ChatFormatInputs
        {
            Tools = tools,
            ToolChoice = choice,
            ParallelToolCalls = i["parallel_tool_calls"]?.GetValue<bool>() == true,
            EnableThinking = i["enable_thinking"]?.GetValue<bool>() != false,
            ReasoningFormat = i["reasoning_format"]?.GetValue<string>() == "none" ? ReasoningFormat.None : ReasoningFormat.Auto,
            ResponseSchema = schema,
            GenerationPrompt = c["chat_params"]!["generation_prompt"]!.GetValue<string>(),
        };
    }
}
