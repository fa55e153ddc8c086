using System.Text.Json.Nodes;
using AgentHost.ChatFormats.Families;
using AgentHost.Grammar;
using static AgentHost.ChatFormats.Tests.FamilyTestSupport;

namespace AgentHost.ChatFormats.Tests;

public class FamilyParsingTests
{
    private static ChatFormatInputs Inputs(string genPrompt, ToolChoice? choice = null, bool parallel = true) => new()
    {
        Tools = [LookupOrder, SetFlags],
        ToolChoice = choice ?? ToolChoice.Auto,
        ParallelToolCalls = parallel,
        GenerationPrompt = genPrompt,
    };

    [Theory]
    [InlineData("Qwen3.5-4B", "qwen3-coder")]
    [InlineData("Qwen3-Coder", "qwen3-coder")]
    [InlineData("NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", "qwen3-coder")]
    [InlineData("openai-gpt-oss-120b", "gpt-oss")]
    [InlineData("Qwen-Qwen3-0.6B", "hermes")]
    [InlineData("Qwen-Qwen2.5-7B-Instruct", "hermes")]
    public void Detects_family(string template, string family) =>
        Assert.Equal(family, ChatFormats.Detect(Template(template))?.Name);

    [Fact]
    public void Qwen35_xml_call_with_thinking_parses_and_streams()
    {
        var plan = Plan("Qwen3.5-4B", Inputs("<|im_start|>assistant\n<think>\n"));
        var reply = "The user wants order 12.\n</think>\n\n<tool_call>\n<function=lookup_order>\n<parameter=order_id>\nORD-12\n</parameter>\n</function>\n</tool_call>";
        var msg = plan.Parse(reply);
        Assert.Equal("The user wants order 12.", msg.ReasoningContent.Trim());
        Assert.Equal("", msg.Content.Trim());
        var call = Assert.Single(msg.ToolCalls);
        Assert.Equal("lookup_order", call.Name);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"order_id":"ORD-12"}"""), JsonNode.Parse(call.Arguments)));
        AssertStreamingMatchesWhole(plan, reply);
        AssertGrammarAccepts(plan, reply);
    }

    [Fact]
    public void Qwen35_python_style_values_are_typed_by_the_schema()
    {
        // Qwen3.5's template prints history arguments with Python's str(): True, ['damage', '退款'].
        var plan = Plan("Qwen3.5-4B", Inputs("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        var reply = "<tool_call>\n<function=set_flags>\n<parameter=urgent>\nTrue\n</parameter>\n<parameter=tags>\n['damage', '退款']\n</parameter>\n</function>\n</tool_call>";
        var call = Assert.Single(plan.Parse(reply).ToolCalls);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"urgent":true,"tags":["damage","退款"]}"""), JsonNode.Parse(call.Arguments)), call.Arguments);
        AssertStreamingMatchesWhole(plan, reply);
        // Under our grammar the model writes JSON values; Python-style ones come from unconstrained generation.
        Assert.False(EarleyRecognizerAccepts(plan, reply));
    }

    private static bool EarleyRecognizerAccepts(ChatFormatPlan plan, string reply)
    {
        var full = plan.Inputs.GenerationPrompt + reply;
        var pos = TriggerPosition(plan, full);
        return AgentHost.Grammar.Tests.Recognizer.EarleyRecognizer.FromText(plan.Grammar!).Accepts(full[pos..]);
    }

    [Fact]
    public void Required_arguments_in_any_order()
    {
        var plan = Plan("Qwen3.5-4B", Inputs("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        var reply = "<tool_call>\n<function=set_flags>\n<parameter=tags>\n[\"a\"]\n</parameter>\n<parameter=urgent>\nfalse\n</parameter>\n</function>\n</tool_call>";
        var call = Assert.Single(plan.Parse(reply).ToolCalls);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"tags":["a"],"urgent":false}"""), JsonNode.Parse(call.Arguments)), call.Arguments);
    }

    [Fact]
    public void Qwen3_hermes_thinking_never_leaks_into_content()
    {
        var plan = Plan("Qwen-Qwen3-0.6B", Inputs("<|im_start|>assistant\n"));
        var reply = "<think>\nLook it up.\n</think>\n\nLet me check.\n<tool_call>\n{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"ORD-7\"}}\n</tool_call>";
        var msg = plan.Parse(reply);
        Assert.Equal("Look it up.", msg.ReasoningContent.Trim());
        Assert.Equal("Let me check.", msg.Content.Trim());
        Assert.Equal("lookup_order", Assert.Single(msg.ToolCalls).Name);
        AssertStreamingMatchesWhole(plan, reply);
        AssertGrammarAccepts(plan, reply);
    }

    [Fact]
    public void Hermes_parallel_calls()
    {
        var plan = Plan("Qwen-Qwen2.5-7B-Instruct", Inputs("<|im_start|>assistant\n"));
        var reply = "<tool_call>\n{\"name\": \"lookup_order\", \"arguments\": {\"order_id\": \"A\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"set_flags\", \"arguments\": {\"urgent\": true, \"tags\": []}}\n</tool_call>";
        var msg = plan.Parse(reply);
        Assert.Equal(["lookup_order", "set_flags"], msg.ToolCalls.Select(c => c.Name));
        AssertStreamingMatchesWhole(plan, reply);
        AssertGrammarAccepts(plan, reply);
    }

    [Fact]
    public void Gpt_oss_analysis_then_commentary_call()
    {
        var plan = Plan("openai-gpt-oss-120b", Inputs("<|start|>assistant"));
        var reply = "<|channel|>analysis<|message|>Need the order.<|end|><|start|>assistant<|channel|>commentary to=functions.lookup_order <|constrain|>json<|message|>{\"order_id\": \"ORD-9\"}";
        var msg = plan.Parse(reply);
        Assert.Equal("Need the order.", msg.ReasoningContent);
        Assert.Equal("", msg.Content);
        var call = Assert.Single(msg.ToolCalls);
        Assert.Equal("lookup_order", call.Name);
        Assert.True(call.IsComplete);
        AssertStreamingMatchesWhole(plan, reply);
        AssertGrammarAccepts(plan, reply);
    }

    [Fact]
    public void Gpt_oss_final_answer()
    {
        var plan = Plan("openai-gpt-oss-120b", Inputs("<|start|>assistant"));
        var reply = "<|channel|>analysis<|message|>Easy.<|end|><|start|>assistant<|channel|>final<|message|>Hello there!";
        var msg = plan.Parse(reply);
        Assert.Equal("Easy.", msg.ReasoningContent);
        Assert.Equal("Hello there!", msg.Content);
        Assert.Empty(msg.ToolCalls);
        AssertStreamingMatchesWhole(plan, reply);
    }

    [Fact]
    public void Required_mode_grammar_accepts_a_call_after_the_prefill()
    {
        var plan = Plan("Qwen3.5-4B", Inputs("<|im_start|>assistant\n<think>\n", ToolChoice.Required, parallel: false));
        Assert.False(plan.GrammarLazy);
        AssertGrammarAccepts(plan, "ok\n</think>\n\n<tool_call>\n<function=lookup_order>\n<parameter=order_id>\nX\n</parameter>\n</function>\n</tool_call>");
    }

    [Fact]
    public void Thinking_that_never_closes_is_reasoning()
    {
        var plan = Plan("Qwen3.5-4B", Inputs("<|im_start|>assistant\n<think>\n"));
        var parser = new AgentHost.ChatFormats.Parsing.StreamingChatParser(plan);
        var d1 = parser.Push("I keep thinking and");
        var d2 = parser.Complete(cutOff: true);
        Assert.Equal("I keep thinking and", (d1.Reasoning + d2.Reasoning));
        Assert.Equal("", d1.Content + d2.Content);
    }

    [Fact]
    public void Unterminated_call_at_the_limit_is_dropped()
    {
        var plan = Plan("Qwen-Qwen3-0.6B", Inputs("<|im_start|>assistant\n"));
        var parser = new AgentHost.ChatFormats.Parsing.StreamingChatParser(plan);
        var d1 = parser.Push("Sure.\n<tool_call>\n{\"name\": \"lookup_order\", \"argu");
        var d2 = parser.Complete(cutOff: true);
        Assert.Equal("Sure.", (d1.Content + d2.Content).Trim());
        Assert.Empty(d1.ToolCalls.Concat(d2.ToolCalls));
        Assert.True(d2.DroppedIncompleteCall);
    }
}
