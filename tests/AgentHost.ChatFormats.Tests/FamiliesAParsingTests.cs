using System.Text.Json.Nodes;
using AgentHost.Grammar;
using static AgentHost.ChatFormats.Tests.FamilyTestSupport;

namespace AgentHost.ChatFormats.Tests;

/// <summary>
/// The GLM, Kimi, DeepSeek, MiniMax, Ling, Seed-OSS, MiniCPM5, Muse Glimmer, Nemotron v2, Apertus, Reka, Hy3,
/// Laguna and Solar families: detection, each syntax variant (parse, streaming at every byte, grammar), Python-style
/// values, reasoning left inline.
/// </summary>
public class FamiliesAParsingTests
{
    private static ChatFormatInputs Inputs(string genPrompt, ToolChoice? choice = null, bool parallel = true, ReasoningFormat reasoning = ReasoningFormat.Auto) => new()
    {
        Tools = [LookupOrder, SetFlags],
        ToolChoice = choice ?? ToolChoice.Auto,
        ParallelToolCalls = parallel,
        ReasoningFormat = reasoning,
        GenerationPrompt = genPrompt,
    };

    [Theory]
    [InlineData("GLM-4.6", "glm")]
    [InlineData("GLM-4.7-Flash", "glm")]
    [InlineData("Spark2.5", "glm")]
    [InlineData("poolside-Laguna-S-2.1", "glm")]
    [InlineData("poolside-Laguna-XS-2.1", "glm")]
    [InlineData("poolside-Laguna-XS.2", "glm")]
    [InlineData("inclusionai-ling-3.0-flash", "ling3")]
    [InlineData("MiniMax-M1", "minimax-m1")]
    [InlineData("MiniMax-M2", "minimax-m2")]
    [InlineData("MiniMax-M3", "minimax-m3")]
    [InlineData("Kimi-K2-Instruct", "kimi-k2")]
    [InlineData("Kimi-K2-Thinking", "kimi-k2")]
    [InlineData("moonshotai-Kimi-K2", "kimi-k2")]
    [InlineData("Kimi-K3", "kimi-k3")]
    [InlineData("deepseek-ai-DeepSeek-R1-Distill-Llama-8B", "deepseek")]
    [InlineData("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", "deepseek")]
    [InlineData("llama-cpp-deepseek-r1", "deepseek")]
    [InlineData("deepseek-ai-DeepSeek-V3.1", "deepseek")]
    [InlineData("deepseek-ai-DeepSeek-V3.2", "deepseek-dsml")]
    [InlineData("deepseek-ai-DeepSeek-V4", "deepseek-dsml")]
    [InlineData("deepseek-ai-DeepSeek-V4-Flash-0731", "deepseek-dsml")]
    [InlineData("ByteDance-Seed-OSS", "seed-oss")]
    [InlineData("openbmb-MiniCPM5-1B", "minicpm5")]
    [InlineData("muse-glimmer", "muse-glimmer")]
    [InlineData("NVIDIA-Nemotron-Nano-v2", "nemotron-nano-v2")]
    [InlineData("Apertus-8B-Instruct", "apertus")]
    [InlineData("tencent-Hy3", "hy3")]
    [InlineData("upstage-Solar-Open-100B", "solar-open")]
    [InlineData("Reka-Edge", "reka")]
    public void Detects_family(string template, string family) =>
        Assert.Equal(family, ChatFormats.Detect(Template(template))?.Name);

    /// <summary>A reply in the family's syntax: parse, streaming at every byte boundary, grammar acceptance.</summary>
    [Theory]
    // GLM 4.6 writes newlines between the parts, 4.7 and Laguna none.
    [InlineData("GLM-4.6", "<|assistant|>", "\n<think>Look it up.</think>\n<tool_call>lookup_order\n<arg_key>order_id</arg_key>\n<arg_value>A-1</arg_value>\n</tool_call>", "", "Look it up.", """[["lookup_order",{"order_id":"A-1"}]]""")]
    [InlineData("GLM-4.7-Flash", "<|assistant|><think>", "Flags.</think>Setting.<tool_call>set_flags<arg_key>urgent</arg_key><arg_value>true</arg_value><arg_key>tags</arg_key><arg_value>[\"a\"]</arg_value></tool_call><tool_call>lookup_order<arg_key>order_id</arg_key><arg_value>B</arg_value></tool_call>", "Setting.", "Flags.", """[["set_flags",{"urgent":true,"tags":["a"]}],["lookup_order",{"order_id":"B"}]]""")]
    [InlineData("poolside-Laguna-S-2.1", "<assistant><think>", "Check.</think><tool_call>lookup_order<arg_key>order_id</arg_key><arg_value>A-1001</arg_value></tool_call>", "", "Check.", """[["lookup_order",{"order_id":"A-1001"}]]""")]
    [InlineData("poolside-Laguna-XS-2.1", "<assistant>\n<think>", "</think>Order shipped.", "Order shipped.", "", "[]")]
    [InlineData("poolside-Laguna-XS.2", "<assistant>\n<think>", "</think><tool_call>set_flags<arg_key>urgent</arg_key><arg_value>false</arg_value><arg_key>tags</arg_key><arg_value>[\"damage\", \"退款\"]</arg_value></tool_call>", "", "", """[["set_flags",{"urgent":false,"tags":["damage","退款"]}]]""")]
    [InlineData("tencent-Hy3", "<｜hy_Assistant:opensource｜><think:opensource></think:opensource>", "<tool_calls:opensource>\n<tool_call:opensource>lookup_order<tool_sep:opensource>\n<arg_key:opensource>order_id</arg_key:opensource>\n<arg_value:opensource>A-1001</arg_value:opensource>\n</tool_call:opensource>\n<tool_call:opensource>set_flags<tool_sep:opensource>\n<arg_key:opensource>urgent</arg_key:opensource>\n<arg_value:opensource>true</arg_value:opensource>\n<arg_key:opensource>tags</arg_key:opensource>\n<arg_value:opensource>[\"damage\", \"退款\"]</arg_value:opensource>\n</tool_call:opensource>\n</tool_calls:opensource>", "", "", """[["lookup_order",{"order_id":"A-1001"}],["set_flags",{"urgent":true,"tags":["damage","退款"]}]]""")]
    [InlineData("tencent-Hy3", "<｜hy_Assistant:opensource｜><think:opensource>", "Order first.</think:opensource>Looking.<tool_calls:opensource>\n<tool_call:opensource>lookup_order<tool_sep:opensource>\n<arg_key:opensource>order_id</arg_key:opensource>\n<arg_value:opensource>X</arg_value:opensource>\n</tool_call:opensource>\n</tool_calls:opensource>", "Looking.", "Order first.", """[["lookup_order",{"order_id":"X"}]]""")]
    [InlineData("upstage-Solar-Open-100B", "", "<|tool_calls|><|tool_call:begin|>A1b2C3d4E<|tool_call:name|>lookup_order<|tool_call:args|>{\"order_id\": \"A-1001\"}<|tool_call:end|><|tool_call:begin|>F5g6H7i8J<|tool_call:name|>set_flags<|tool_call:args|>{\"urgent\": true, \"tags\": [\"damage\"]}<|tool_call:end|><|calls|>", "", "", """[["lookup_order",{"order_id":"A-1001"}],["set_flags",{"urgent":true,"tags":["damage"]}]]""")]
    [InlineData("MiniMax-M1", "<beginning_of_sentence>ai name=assistant\n", "<tool_calls>\n{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"A-1001\"}}\n{\"name\": \"set_flags\", \"arguments\": {\"urgent\": true, \"tags\": [\"damage\", \"退款\"]}}\n</tool_calls>", "", "", """[["lookup_order",{"order_id":"A-1001"}],["set_flags",{"urgent":true,"tags":["damage","退款"]}]]""")]
    [InlineData("MiniMax-M2", "]~b]ai\n<think>\n", "Two calls.\n</think>\n\n<minimax:tool_call>\n<invoke name=\"lookup_order\">\n<parameter name=\"order_id\">A</parameter>\n</invoke>\n<invoke name=\"set_flags\">\n<parameter name=\"urgent\">false</parameter>\n<parameter name=\"tags\">[]</parameter>\n</invoke>\n</minimax:tool_call>", "", "Two calls.", """[["lookup_order",{"order_id":"A"}],["set_flags",{"urgent":false,"tags":[]}]]""")]
    // MiniMax M3 writes an array argument as <item> elements.
    [InlineData("MiniMax-M3", "]~b]ai\n", "<mm:think>Flag it.</mm:think>]<]minimax[>[<tool_call>\n]<]minimax[>[<invoke name=\"set_flags\">]<]minimax[>[<urgent>true]<]minimax[>[</urgent>]<]minimax[>[<tags>]<]minimax[>[<item>damage]<]minimax[>[</item>]<]minimax[>[<item>退款]<]minimax[>[</item>]<]minimax[>[</tags>]<]minimax[>[</invoke>\n]<]minimax[>[<invoke name=\"lookup_order\">]<]minimax[>[<order_id>A-1]<]minimax[>[</order_id>]<]minimax[>[</invoke>\n]<]minimax[>[</tool_call>", "", "Flag it.", """[["set_flags",{"urgent":true,"tags":["damage","退款"]}],["lookup_order",{"order_id":"A-1"}]]""")]
    [InlineData("Kimi-K2-Thinking", "<|im_assistant|>assistant<|im_middle|>", "<think>Order.</think>Checking.<|tool_calls_section_begin|><|tool_call_begin|>functions.lookup_order:0<|tool_call_argument_begin|>{\"order_id\": \"Z\"}<|tool_call_end|><|tool_calls_section_end|>", "Checking.", "Order.", """[["lookup_order",{"order_id":"Z"}]]""")]
    [InlineData("Kimi-K3", "<|open|>message role=\"assistant\"<|sep|><|open|>think<|sep|>", "Look.<|close|>think<|sep|><|open|>response<|sep|>Sure.<|close|>response<|sep|><|open|>tools<|sep|><|open|>call tool=\"set_flags\" index=\"1\"<|sep|><|open|>argument key=\"urgent\" type=\"boolean\"<|sep|>true<|close|>argument<|sep|><|open|>argument key=\"tags\" type=\"array\"<|sep|>[\"x\"]<|close|>argument<|sep|><|close|>call<|sep|><|close|>tools<|sep|><|close|>message<|sep|>", "Sure.", "Look.", """[["set_flags",{"urgent":true,"tags":["x"]}]]""")]
    [InlineData("deepseek-ai-DeepSeek-V3.1", "<｜Assistant｜><think>", "Think.</think>Text<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>lookup_order<｜tool▁sep｜>{\"order_id\": \"1\"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>", "Text", "Think.", """[["lookup_order",{"order_id":"1"}]]""")]
    [InlineData("llama-cpp-deepseek-r1", "<｜Assistant｜><think>\n", "Hm.</think><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>lookup_order\n```json\n{\"order_id\": \"2\"}\n```<｜tool▁call▁end｜>\n<｜tool▁call▁begin｜>function<｜tool▁sep｜>set_flags\n```json\n{\"urgent\": true, \"tags\": []}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>", "", "Hm.", """[["lookup_order",{"order_id":"2"}],["set_flags",{"urgent":true,"tags":[]}]]""")]
    [InlineData("deepseek-ai-DeepSeek-V4", "<｜Assistant｜><think>", "Go.</think>\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"set_flags\">\n<｜DSML｜parameter name=\"urgent\" string=\"false\">true</｜DSML｜parameter>\n<｜DSML｜parameter name=\"tags\" string=\"false\">[\"退款\"]</｜DSML｜parameter>\n</｜DSML｜invoke>\n</｜DSML｜tool_calls>", "", "Go.", """[["set_flags",{"urgent":true,"tags":["退款"]}]]""")]
    [InlineData("inclusionai-ling-3.0-flash", "<role>ASSISTANT</role>\n<think>", "Need it.\n<tool_call>lookup_order\n<arg_key>order_id</arg_key>\n<arg_value>L-1</arg_value>\n</tool_call>\nDone.", "Done.", "Need it.", """[["lookup_order",{"order_id":"L-1"}]]""")]
    [InlineData("ByteDance-Seed-OSS", "<seed:bos>assistant\n", "<seed:think>Check.</seed:think>\n<seed:tool_call>\n<function=lookup_order>\n<parameter=order_id>S-1</parameter>\n</function>\n</seed:tool_call>", "", "Check.", """[["lookup_order",{"order_id":"S-1"}]]""")]
    [InlineData("openbmb-MiniCPM5-1B", "<|im_start|>assistant\n<think>\n", "Go.\n</think>\n\n<function name=\"lookup_order\"><param name=\"order_id\"><![CDATA[a</param>b]]></param></function>", "", "Go.", """[["lookup_order",{"order_id":"a</param>b"}]]""")]
    [InlineData("muse-glimmer", "<|start|>assistant", " to=self<|message|>Look it up.<|eom|><|start|>assistant to=lookup_order<|message|><atem:function_calls>\n<atem:invoke name=\"lookup_order\">\n<atem:parameter name=\"order_id\">M-1</atem:parameter>\n</atem:invoke>\n</atem:function_calls>", "", "Look it up.", """[["lookup_order",{"order_id":"M-1"}]]""")]
    [InlineData("NVIDIA-Nemotron-Nano-v2", "<SPECIAL_11>Assistant\n<think>\n", "Both.\n</think>\n<TOOLCALL>[{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"N\"}}, {\"name\": \"set_flags\", \"arguments\": {\"urgent\": false, \"tags\": []}}]</TOOLCALL>", "", "Both.", """[["lookup_order",{"order_id":"N"}],["set_flags",{"urgent":false,"tags":[]}]]""")]
    [InlineData("Apertus-8B-Instruct", "<|assistant_start|>", "Sure.<|tools_prefix|>[{\"lookup_order\": {\"order_id\": \"A\"}}, {\"set_flags\": {\"urgent\": true, \"tags\": [\"x\"]}}]<|tools_suffix|>", "Sure.", "", """[["lookup_order",{"order_id":"A"}],["set_flags",{"urgent":true,"tags":["x"]}]]""")]
    [InlineData("Reka-Edge", "assistant: <think>\n", "Hm.\n</think>\n\n<tool_call>\n{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"R\"}}</tool_call>", "", "Hm.", """[["lookup_order",{"order_id":"R"}]]""")]
    public void Native_reply_parses_streams_and_fits_the_grammar(string template, string gen, string reply, string content, string reasoning, string calls)
    {
        var plan = Plan(template, Inputs(gen));
        var msg = plan.Parse(reply);
        Assert.False(msg.IsFallback, "reply did not follow the syntax");
        Assert.Equal(content, msg.Content.Trim());
        Assert.Equal(reasoning, msg.ReasoningContent.Trim());
        var expected = JsonNode.Parse(calls)!.AsArray();
        Assert.Equal(expected.Count, msg.ToolCalls.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((string)expected[i]![0]!, msg.ToolCalls[i].Name);
            Assert.True(JsonNode.DeepEquals(expected[i]![1], JsonNode.Parse(msg.ToolCalls[i].Arguments)), msg.ToolCalls[i].Arguments);
        }
        AssertStreamingMatchesWhole(plan, reply);
        if (expected.Count > 0) AssertGrammarAccepts(plan, reply);
    }

    /// <summary>Seed-OSS and MiniCPM5 print history arguments Python-style; llama.cpp fails to parse such replies.</summary>
    [Theory]
    [InlineData("ByteDance-Seed-OSS", "<seed:bos>assistant\n", "<seed:tool_call>\n<function=set_flags>\n<parameter=urgent>True</parameter>\n<parameter=tags>['damage', '退款']</parameter>\n</function>\n</seed:tool_call>")]
    [InlineData("openbmb-MiniCPM5-1B", "<|im_start|>assistant\n<think>\n\n</think>\n\n", "<function name=\"set_flags\"><param name=\"urgent\">True</param><param name=\"tags\">['damage', '退款']</param></function>")]
    public void Python_style_values_are_typed_by_the_schema(string template, string gen, string reply)
    {
        var plan = Plan(template, Inputs(gen));
        var call = Assert.Single(plan.Parse(reply).ToolCalls);
        Assert.Equal("set_flags", call.Name);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"urgent":true,"tags":["damage","退款"]}"""), JsonNode.Parse(call.Arguments)), call.Arguments);
        AssertStreamingMatchesWhole(plan, reply);
    }

    /// <summary>reasoning_format none: the thinking stays in the content.</summary>
    [Theory]
    [InlineData("GLM-4.6", "<|assistant|>", "\n<think>Hmm.</think>\nHello.", "Hmm.")]
    [InlineData("MiniMax-M2", "]~b]ai\n<think>\n", "Hmm.\n</think>\n\nHello.", "Hmm.")]
    [InlineData("Kimi-K2-Thinking", "<|im_assistant|>assistant<|im_middle|>", "<think>Hmm.</think>Hello.", "Hmm.")]
    [InlineData("deepseek-ai-DeepSeek-V3.1", "<｜Assistant｜>", "<think>Hmm.</think>Hello.", "Hmm.")]
    [InlineData("ByteDance-Seed-OSS", "<seed:bos>assistant\n", "<seed:think>Hmm.</seed:think>Hello.", "Hmm.")]
    [InlineData("tencent-Hy3", "<｜hy_Assistant:opensource｜>", "<think:opensource>Hmm.</think:opensource>Hello.", "Hmm.")]
    public void Reasoning_format_none_keeps_thinking_inline(string template, string gen, string reply, string thought)
    {
        var plan = Plan(template, Inputs(gen, reasoning: ReasoningFormat.None));
        var msg = plan.Parse(reply);
        Assert.Equal("", msg.ReasoningContent);
        Assert.Contains(thought, msg.Content);
        Assert.Contains("Hello.", msg.Content);
        AssertStreamingMatchesWhole(plan, reply);
    }

    /// <summary>Required mode: the grammar applies from the first token (after the generation prompt).</summary>
    [Theory]
    [InlineData("GLM-4.7-Flash", "<|assistant|></think>", "<tool_call>lookup_order<arg_key>order_id</arg_key><arg_value>A</arg_value></tool_call>")]
    [InlineData("Kimi-K2-Instruct", "<|im_assistant|>assistant<|im_middle|>", "<|tool_calls_section_begin|><|tool_call_begin|>functions.lookup_order:0<|tool_call_argument_begin|>{\"order_id\": \"A\"}<|tool_call_end|><|tool_calls_section_end|>")]
    [InlineData("deepseek-ai-DeepSeek-V3.2", "<｜Assistant｜><think></think>", "<｜DSML｜function_calls>\n<｜DSML｜invoke name=\"lookup_order\">\n<｜DSML｜parameter name=\"order_id\" string=\"true\">A</｜DSML｜parameter>\n</｜DSML｜invoke>\n</｜DSML｜function_calls>")]
    [InlineData("ByteDance-Seed-OSS", "<seed:bos>assistant\n", "<seed:tool_call>\n<function=lookup_order>\n<parameter=order_id>A</parameter>\n</function>\n</seed:tool_call>")]
    [InlineData("Apertus-8B-Instruct", "<|assistant_start|>", "<|tools_prefix|>[{\"lookup_order\": {\"order_id\": \"A\"}}]<|tools_suffix|>")]
    public void Required_mode_grammar_is_not_lazy_and_accepts_a_call(string template, string gen, string reply)
    {
        var plan = Plan(template, Inputs(gen, ToolChoice.Required, parallel: false));
        Assert.False(plan.GrammarLazy);
        AssertGrammarAccepts(plan, reply);
        Assert.Equal("lookup_order", Assert.Single(plan.Parse(reply).ToolCalls).Name);
    }

    [Fact]
    public void Kimi_k2_call_id_is_the_models_own()
    {
        var plan = Plan("Kimi-K2-Thinking", Inputs("<|im_assistant|>assistant<|im_middle|>"));
        var call = Assert.Single(plan.Parse("<|tool_calls_section_begin|><|tool_call_begin|>functions.lookup_order:3<|tool_call_argument_begin|>{\"order_id\": \"Q\"}<|tool_call_end|><|tool_calls_section_end|>").ToolCalls);
        Assert.Equal("functions.lookup_order:3", call.Id);
    }
}
