using System.Text.Json.Nodes;
using AgentHost.Grammar;
using static AgentHost.ChatFormats.Tests.FamilyTestSupport;

namespace AgentHost.ChatFormats.Tests;

/// <summary>
/// The Mistral, Llama, Functionary, Firefunction, Gemma, Cohere, LFM2, GigaChat, Apriel and plain-text families: each
/// bundle template is detected, and each syntax variant parses (whole and byte by byte) and is accepted by the grammar.
/// </summary>
public class MoreFamiliesTests
{
    [Theory]
    [InlineData("mistralai-Mistral-Nemo-Instruct-2407", "mistral-nemo")]
    [InlineData("mistralai-Ministral-3-14B-Reasoning-2512", "ministral-3")]
    [InlineData("unsloth-mistral-Devstral-Small-2507", "ministral-3")]
    [InlineData("Mistral-Small-3.2-24B-Instruct-2506", "mistral-small-3.2")]
    [InlineData("meta-llama-Llama-3.1-8B-Instruct", "llama-3")]
    [InlineData("meta-llama-Llama-3.2-3B-Instruct", "llama-3")]
    [InlineData("meta-llama-Llama-3.3-70B-Instruct", "llama-3")]
    [InlineData("fireworks-ai-llama-3-firefunction-v2", "firefunction-v2")]
    [InlineData("meetkai-functionary-medium-v3.1", "functionary-v3.1")]
    [InlineData("meetkai-functionary-medium-v3.2", "functionary-v3.2")]
    [InlineData("google-gemma-4-31B-it", "gemma-4")]
    [InlineData("google-gemma-4-31B-it-interleaved", "gemma-4")]
    [InlineData("google-gemma-2-2b-it", "plain")]
    [InlineData("CohereForAI-c4ai-command-r7b-12-2024-tool_use", "command-r7b")]
    [InlineData("CohereForAI-c4ai-command-r-plus-tool_use", "command-r-plus")]
    [InlineData("Cohere2MoE", "cohere2-moe")]
    [InlineData("ibm-granite-granite-3.3-2B-Instruct", "plain")]
    [InlineData("ibm-granite-granite-4.0", "hermes")]
    [InlineData("ibm-granite-granite-4.1", "hermes")]
    [InlineData("LFM2-8B-A1B", "lfm2")]
    [InlineData("LFM2.5-8B-A1B", "lfm2")]
    [InlineData("LFM2.5-Instruct", "lfm2")]
    [InlineData("GigaChat3-10B-A1.8B", "gigachat-v3")]
    [InlineData("GigaChat3.1-10B-A1.8B", "gigachat-v3.1")]
    [InlineData("unsloth-Apriel-1.5", "apriel")]
    [InlineData("Apriel-1.6-15b-Thinker-fixed", "apriel")]
    [InlineData("microsoft-Phi-3.5-mini-instruct", "plain")]
    [InlineData("HuggingFaceTB-SmolLM3-3B", "plain")]
    [InlineData("llama-cpp-rwkv-world", "plain")]
    [InlineData("Bielik-11B-v3.0-Instruct", "hermes")]
    [InlineData("NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use", "hermes")]
    [InlineData("NousResearch-Hermes-3-Llama-3.1-8B-tool_use", "hermes")]
    public void Detects_family(string template, string family) =>
        Assert.Equal(family, ChatFormats.Detect(Template(template))?.Name);

    /// <summary>One reply and what it must parse to. Calls: "name JSON-args" separated by " | ".</summary>
    public sealed record Case(string Template, string GenerationPrompt, string Reply, string Content, string Reasoning, string Calls,
        bool Parallel = true, bool Inline = false, string Choice = "auto")
    {
        public override string ToString() => Template + ": " + (Reply.Length > 40 ? Reply[..40] : Reply);
    }

    private const string Llama = "<|start_header_id|>assistant<|end_header_id|>\n\n";
    private const string LookupA = """lookup_order {"order_id": "A-1001"}""";
    private const string FlagsB = """set_flags {"urgent": true, "tags": ["damage", "退款"]}""";

    public static TheoryData<Case> Cases() =>
    [
        // Mistral Nemo: JSON array, ids.
        new("mistralai-Mistral-Nemo-Instruct-2407", "", "Order A-1001 is on its way.", "Order A-1001 is on its way.", "", ""),
        new("mistralai-Mistral-Nemo-Instruct-2407", "", """[TOOL_CALLS][{"name": "lookup_order", "arguments": {"order_id": "A-1001"}, "id": "A1b2C3d4E"}]""", "", "", LookupA),
        new("mistralai-Mistral-Nemo-Instruct-2407", "", """Checking.[TOOL_CALLS][{"name": "lookup_order", "arguments": {"order_id": "A-1001"}}, {"name": "set_flags", "arguments": {"urgent": true, "tags": ["damage", "退款"]}, "id": "F5g6H7i8J"}]""", "Checking.", "", LookupA + " | " + FlagsB),
        // Ministral 3 / Magistral: name[ARGS]json, [THINK].
        new("mistralai-Ministral-3-14B-Reasoning-2512", "", "[THINK]Look it up.[/THINK][TOOL_CALLS]lookup_order[ARGS]{\"order_id\": \"A-1001\"}", "", "Look it up.", LookupA),
        new("mistralai-Ministral-3-14B-Reasoning-2512", "", "[TOOL_CALLS]lookup_order[ARGS]{\"order_id\": \"A-1001\"}[TOOL_CALLS]set_flags[ARGS]{\"urgent\": true, \"tags\": [\"damage\", \"退款\"]}", "", "", LookupA + " | " + FlagsB),
        new("mistralai-Ministral-3-14B-Reasoning-2512", "", "[THINK]Hmm.[/THINK]Hello!", "[THINK]Hmm.[/THINK]Hello!", "", "", Inline: true),
        new("unsloth-mistral-Devstral-Small-2507", "", "Sure.[TOOL_CALLS]lookup_order[ARGS]{\"order_id\": \"A-1001\"}", "Sure.", "", LookupA),
        // Mistral Small 3.2: name[CALL_ID]id[ARGS]json.
        new("Mistral-Small-3.2-24B-Instruct-2506", "", "[TOOL_CALLS]lookup_order[CALL_ID]123456789[ARGS]{\"order_id\": \"A-1001\"}[TOOL_CALLS]set_flags[ARGS]{\"urgent\": true, \"tags\": [\"damage\", \"退款\"]}", "", "", LookupA + " | " + FlagsB),
        new("Mistral-Small-3.2-24B-Instruct-2506", "", "No calls needed.", "No calls needed.", "", ""),
        // Llama 3.x: bare JSON with "parameters", optionally after <|python_tag|>.
        new("meta-llama-Llama-3.1-8B-Instruct", Llama, """{"name": "lookup_order", "parameters": {"order_id": "A-1001"}}""", "", "", LookupA, Parallel: false),
        new("meta-llama-Llama-3.3-70B-Instruct", Llama, """<|python_tag|>{"name": "lookup_order", "parameters": {"order_id": "A-1001"}}""", "", "", LookupA, Parallel: false, Choice: "required"),
        new("meta-llama-Llama-3.2-3B-Instruct", Llama, "It ships Friday.", "It ships Friday.", "", "", Parallel: false),
        // Firefunction v2.
        new("fireworks-ai-llama-3-firefunction-v2", "", """ functools[{"name": "lookup_order", "arguments": {"order_id": "A-1001"}}, {"name": "set_flags", "arguments": {"urgent": true, "tags": ["damage", "退款"]}}]""", "", "", LookupA + " | " + FlagsB),
        // Functionary v3.1 and v3.2.
        new("meetkai-functionary-medium-v3.1", Llama, """Let me see.<function=lookup_order>{"order_id": "A-1001"}</function><function=set_flags>{"urgent": true, "tags": ["damage", "退款"]}</function>""", "Let me see.", "", LookupA + " | " + FlagsB),
        new("meetkai-functionary-medium-v3.2", Llama + ">>>", "lookup_order\n{\"order_id\": \"A-1001\"}>>>set_flags\n{\"urgent\": true, \"tags\": [\"damage\", \"退款\"]}", "", "", LookupA + " | " + FlagsB),
        new("meetkai-functionary-medium-v3.2", Llama + ">>>", "all\nLet me check.>>>lookup_order\n{\"order_id\": \"A-1001\"}", "Let me check.", "", LookupA),
        new("meetkai-functionary-medium-v3.2", Llama + ">>>", "all\nIt ships Friday.", "It ships Friday.", "", ""),
        // Gemma 4: its own value syntax, thought channel.
        new("google-gemma-4-31B-it", "<|turn>model\n", "<|channel>thought\nLook it up.<channel|><|tool_call>call:lookup_order{order_id:<|\"|>A-1001<|\"|>}<tool_call|>", "", "Look it up.", LookupA),
        new("google-gemma-4-31B-it-interleaved", "<|turn>model\n", "<|tool_call>call:lookup_order{order_id:<|\"|>A-1001<|\"|>}<tool_call|><|tool_call>call:set_flags{tags:[<|\"|>damage<|\"|>,<|\"|>退款<|\"|>],urgent:true}<tool_call|>", "", "", LookupA + " | " + FlagsB),
        new("google-gemma-4-31B-it", "<|turn>model\n", "<|channel>thought\nHmm.<channel|>Hello!", "<|channel>thought\nHmm.<channel|>Hello!", "", "", Inline: true),
        new("google-gemma-2-2b-it", "<start_of_turn>model\n", "Hello there.", "Hello there.", "", ""),
        // Cohere.
        new("CohereForAI-c4ai-command-r7b-12-2024-tool_use", "", "<|START_THINKING|>Look it up.<|END_THINKING|><|START_ACTION|>[\n    {\"tool_call_id\": \"0\", \"tool_name\": \"lookup_order\", \"parameters\": {\"order_id\": \"A-1001\"}},\n    {\"tool_call_id\": \"1\", \"tool_name\": \"set_flags\", \"parameters\": {\"urgent\": true, \"tags\": [\"damage\", \"退款\"]}}\n]<|END_ACTION|>", "", "Look it up.", LookupA + " | " + FlagsB),
        new("CohereForAI-c4ai-command-r7b-12-2024-tool_use", "", "<|START_THINKING|>Easy.<|END_THINKING|><|START_RESPONSE|>It ships Friday.<|END_RESPONSE|>", "It ships Friday.", "Easy.", ""),
        new("CohereForAI-c4ai-command-r7b-12-2024-tool_use", "", "<|START_THINKING|>Easy.<|END_THINKING|><|START_RESPONSE|>It ships Friday.<|END_RESPONSE|>", "<|START_THINKING|>Easy.<|END_THINKING|>It ships Friday.", "", "", Inline: true),
        new("CohereForAI-c4ai-command-r-plus-tool_use", "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>", "Action:\n```json\n[{\"tool_name\": \"lookup_order\", \"parameters\": {\"order_id\": \"A-1001\"}}]\n```", "", "", LookupA),
        new("Cohere2MoE", "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|><|START_THINKING|>", "Look it up.<|END_THINKING|><|START_ACTION|>[\n    {\"tool_call_id\": \"0\", \"tool_name\": \"lookup_order\", \"parameters\": {\"order_id\": \"A-1001\"}}\n]<|END_ACTION|>", "", "Look it up.", LookupA),
        new("Cohere2MoE", "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|><|START_THINKING|>", "Easy.<|END_THINKING|><|START_TEXT|>It ships Friday.<|END_TEXT|>", "It ships Friday.", "Easy.", ""),
        // LFM2: Python-style calls; values written Python-style are read as JSON.
        new("LFM2-8B-A1B", "<|im_start|>assistant\n", "<|tool_call_start|>[lookup_order(order_id=\"A-1001\"), set_flags(urgent=True, tags=['damage', '退款'])]<|tool_call_end|>", "", "", LookupA + " | " + FlagsB),
        new("LFM2.5-8B-A1B", "<|im_start|>assistant\n", "<think>Look it up.</think>Checking.<|tool_call_start|>[lookup_order(order_id='A-1001')]<|tool_call_end|>", "Checking.", "Look it up.", LookupA),
        new("LFM2.5-Instruct", "<|im_start|>assistant\n", "See [the docs](https://example.com).", "See [the docs](https://example.com).", "", ""),
        // GigaChat.
        new("GigaChat3-10B-A1.8B", "assistant<|role_sep|>\n", "Checking.<|message_sep|>\n\nfunction call<|role_sep|>\n{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"A-1001\"}}", "Checking.", "", LookupA, Parallel: false),
        new("GigaChat3.1-10B-A1.8B", "assistant<|role_sep|>\n", "<|function_call|>{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"A-1001\"}}", "", "", LookupA, Parallel: false),
        // Apriel.
        new("unsloth-Apriel-1.5", "<|assistant|>\n", "<tool_calls>[{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"A-1001\"}}, {\"name\": \"set_flags\", \"arguments\": {\"urgent\": true, \"tags\": [\"damage\", \"退款\"]}}]</tool_calls>", "", "", LookupA + " | " + FlagsB),
        new("Apriel-1.6-15b-Thinker-fixed", "\n<|begin_assistant|>\nHere are my reasoning steps:\n", "Look it up.\n[BEGIN FINAL RESPONSE]\n<tool_calls>[{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"A-1001\"}}]</tool_calls>", "", "Here are my reasoning steps:\nLook it up.", LookupA),
        // Plain text with <think>.
        new("ibm-granite-granite-3.3-2B-Instruct", "<|start_of_role|>assistant<|end_of_role|>", "<think>Easy.</think>It ships Friday.", "It ships Friday.", "Easy.", ""),
        new("HuggingFaceTB-SmolLM3-3B", "<|im_start|>assistant\n", "<think>Easy.</think>It ships Friday.", "<think>Easy.</think>It ships Friday.", "", "", Inline: true),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Variant_parses_streams_and_is_accepted_by_the_grammar(Case c)
    {
        var inputs = new ChatFormatInputs
        {
            Tools = [LookupOrder, SetFlags],
            ToolChoice = c.Choice == "required" ? ToolChoice.Required : ToolChoice.Auto,
            ParallelToolCalls = c.Parallel,
            ReasoningFormat = c.Inline ? ReasoningFormat.None : ReasoningFormat.Auto,
            GenerationPrompt = c.GenerationPrompt,
        };
        var plan = Plan(c.Template, inputs);
        var msg = plan.Parse(c.Reply);
        Assert.False(msg.IsFallback, "fell back to plain content");
        Assert.Equal(c.Content, msg.Content.Trim());
        Assert.Equal(c.Reasoning, msg.ReasoningContent.Trim());
        var expected = c.Calls.Length == 0 ? [] : c.Calls.Split(" | ");
        Assert.Equal(expected.Length, msg.ToolCalls.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var space = expected[i].IndexOf(' ');
            Assert.Equal(expected[i][..space], msg.ToolCalls[i].Name);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected[i][(space + 1)..]), JsonNode.Parse(msg.ToolCalls[i].Arguments)), msg.ToolCalls[i].Arguments);
            Assert.True(msg.ToolCalls[i].IsComplete);
        }
        AssertStreamingMatchesWhole(plan, c.Reply);
        // Llama 3.x in auto mode has no grammar (nothing marks a call), as in llama.cpp.
        if (expected.Length > 0 && plan.Grammar is not null && !c.Reply.Contains("True", StringComparison.Ordinal) && !c.Reply.Contains("'A-1001'", StringComparison.Ordinal))
            GoldenCaseTests.AssertGrammarAcceptsAfterThinking(plan, c.Reply);
    }

    [Fact]
    public void Call_ids_are_read_where_the_syntax_has_them()
    {
        var inputs = new ChatFormatInputs { Tools = [LookupOrder], ParallelToolCalls = true };
        var nemo = Plan("mistralai-Mistral-Nemo-Instruct-2407", inputs)
            .Parse("""[TOOL_CALLS][{"name": "lookup_order", "arguments": {"order_id": "A"}, "id": "A1b2C3d4E"}]""");
        Assert.Equal("A1b2C3d4E", Assert.Single(nemo.ToolCalls).Id);
        var small = Plan("Mistral-Small-3.2-24B-Instruct-2506", inputs).Parse("[TOOL_CALLS]lookup_order[CALL_ID]123456789[ARGS]{\"order_id\": \"A\"}");
        Assert.Equal("123456789", Assert.Single(small.ToolCalls).Id);
        var r7b = Plan("CohereForAI-c4ai-command-r7b-12-2024-tool_use", inputs)
            .Parse("<|START_ACTION|>[{\"tool_call_id\": \"7\", \"tool_name\": \"lookup_order\", \"parameters\": {\"order_id\": \"A\"}}]<|END_ACTION|>");
        Assert.Equal("7", Assert.Single(r7b.ToolCalls).Id);
    }

    [Theory]
    [InlineData("mistralai-Ministral-3-14B-Reasoning-2512", "", "[TOOL_CALLS]lookup_order[ARGS]{\"order_id\": \"X\"}")]
    [InlineData("google-gemma-4-31B-it", "<|turn>model\n", "<|tool_call>call:lookup_order{order_id:<|\"|>X<|\"|>}<tool_call|>")]
    [InlineData("LFM2-8B-A1B", "<|im_start|>assistant\n", "<|tool_call_start|>[lookup_order(order_id=\"X\")]<|tool_call_end|>")]
    [InlineData("meta-llama-Llama-3.1-8B-Instruct", Llama, "{\"name\": \"lookup_order\", \"parameters\": {\"order_id\": \"X\"}}")]
    [InlineData("Cohere2MoE", "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|><|START_THINKING|>", "ok<|END_THINKING|><|START_ACTION|>[{\"tool_call_id\": \"0\", \"tool_name\": \"lookup_order\", \"parameters\": {\"order_id\": \"X\"}}]<|END_ACTION|>")]
    public void Required_mode_has_a_full_grammar_that_rejects_plain_text(string template, string gen, string reply)
    {
        var plan = Plan(template, new ChatFormatInputs { Tools = [LookupOrder], ToolChoice = ToolChoice.Required, GenerationPrompt = gen });
        Assert.False(plan.GrammarLazy);
        AssertGrammarAccepts(plan, reply);
        var recognizer = AgentHost.Grammar.Tests.Recognizer.EarleyRecognizer.FromText(plan.Grammar!);
        Assert.False(recognizer.Accepts(gen + "Just text."));
    }

    private static readonly ToolDefinition Order = new("lookup_order", "Looks up an order", System.Text.Json.Nodes.JsonNode.Parse("""
        {"type":"object","properties":{"order_id":{"type":"string","pattern":"^ORD-[0-9]{4}$"},"urgent":{"type":"boolean"},"tier":{"type":"string","enum":["gold","basic"]},"note":{"type":"string","maxLength":5}},"required":["order_id","urgent"]}
        """));

    // Beyond llama.cpp, whose grammar leaves raw string parameters free text: a string parameter written raw (XML-style
    // parameters, Gemma 4's quotes) is held to its pattern, enum and length in the grammar, so a forced call validates.
    [Theory]
    [InlineData("Qwen3.5-4B", "<|im_start|>assistant\n<think>\n\n</think>\n\n",
        "<tool_call>\n<function=lookup_order>\n<parameter=order_id>\nORD-1234\n</parameter>\n<parameter=urgent>\ntrue\n</parameter>\n<parameter=tier>\ngold\n</parameter>\n</function>\n</tool_call>",
        "<tool_call>\n<function=lookup_order>\n<parameter=order_id>\nORD-12x4\n</parameter>\n<parameter=urgent>\ntrue\n</parameter>\n</function>\n</tool_call>",
        "<tool_call>\n<function=lookup_order>\n<parameter=order_id>\nORD-1234\n</parameter>\n<parameter=urgent>\ntrue\n</parameter>\n<parameter=tier>\nsilver\n</parameter>\n</function>\n</tool_call>")]
    [InlineData("google-gemma-4-31B-it", "<|turn>model\n",
        "<|tool_call>call:lookup_order{note:<|\"|>hi<|\"|>,order_id:<|\"|>ORD-1234<|\"|>,tier:<|\"|>basic<|\"|>,urgent:false}<tool_call|>",
        "<|tool_call>call:lookup_order{order_id:<|\"|>ORD-1234<|\"|>,urgent:<|\"|>yes<|\"|>}<tool_call|>",
        "<|tool_call>call:lookup_order{note:<|\"|>too long<|\"|>,order_id:<|\"|>ORD-1234<|\"|>,urgent:true}<tool_call|>")]
    public void Raw_string_parameters_are_held_to_their_schema(string template, string gen, string valid, string badValue, string badString)
    {
        static string U(string s) => System.Text.RegularExpressions.Regex.Unescape(s);
        var plan = Plan(template, new ChatFormatInputs { Tools = [Order], ToolChoice = ToolChoice.Required, GenerationPrompt = U(gen) });
        var recognizer = AgentHost.Grammar.Tests.Recognizer.EarleyRecognizer.FromText(plan.Grammar!);
        Assert.True(recognizer.Accepts(U(gen) + U(valid)), plan.Grammar);
        Assert.False(recognizer.Accepts(U(gen) + U(badValue)));
        Assert.False(recognizer.Accepts(U(gen) + U(badString)));
        // What the grammar admits reads back as arguments of the declared types.
        var call = Assert.Single(plan.Parse(U(valid)).ToolCalls);
        var args = System.Text.Json.Nodes.JsonNode.Parse(call.Arguments)!;
        Assert.Equal("ORD-1234", (string?)args["order_id"]);
        Assert.Contains(args["urgent"]!.GetValueKind(), new[] { System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False });
    }

    [Fact]
    public void Mistral_arguments_are_constrained_by_the_schema()
    {
        var plan = Plan("mistralai-Ministral-3-14B-Reasoning-2512", new ChatFormatInputs { Tools = [SetFlags] });
        var recognizer = AgentHost.Grammar.Tests.Recognizer.EarleyRecognizer.FromText(plan.Grammar!);
        Assert.True(recognizer.Accepts("[TOOL_CALLS]set_flags[ARGS]{\"urgent\": true, \"tags\": []}"));
        Assert.False(recognizer.Accepts("[TOOL_CALLS]set_flags[ARGS]{\"urgent\": \"yes\", \"tags\": []}"));
    }

    [Fact]
    public void Plain_templates_report_no_tool_support()
    {
        var src = Template("google-gemma-2-2b-it");
        var family = ChatFormats.Detect(src)!;
        Assert.False(family.Capabilities(src).Tools);
        var plan = family.Build(src, new ChatFormatInputs { Tools = [LookupOrder], GenerationPrompt = "<start_of_turn>model\n" });
        Assert.Null(plan.Grammar);
        Assert.Empty(plan.Parse("{\"name\": \"lookup_order\"}").ToolCalls);
    }
}
