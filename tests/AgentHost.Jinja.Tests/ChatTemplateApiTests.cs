using System.Text.Json.Nodes;

namespace AgentHost.Jinja.Tests;

/// <summary>The public API: variables, clock, thread safety and the OpenAI conversation helper.</summary>
public sealed class ChatTemplateApiTests
{
    private static readonly DateTimeOffset Noon = new(2024, 2, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_exposes_messages_tools_tokens_and_extra_variables()
    {
        var template = ChatTemplate.Parse(
            "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}" +
            "|{{ tools | length }}|{{ enable_thinking }}|{{ add_generation_prompt is defined }}{{ eos_token }}");
        var output = template.Render(new ChatTemplateInput
        {
            Messages = [new JsonObject { ["role"] = "user", ["content"] = "hi" }],
            Tools = [new JsonObject { ["type"] = "function" }],
            BosToken = "[B]",
            EosToken = "[E]",
            ExtraVariables = new Dictionary<string, JsonNode?> { ["enable_thinking"] = false },
        });
        Assert.Equal("[B]<user>hi|1|False|False[E]", output);
    }

    [Fact]
    public void Add_generation_prompt_is_only_defined_when_true()
    {
        var template = ChatTemplate.Parse("{{ add_generation_prompt is defined }}:{{ add_generation_prompt }}");
        Assert.Equal("True:True", template.Render(new ChatTemplateInput { AddGenerationPrompt = true }));
        Assert.Equal("False:", template.Render(new ChatTemplateInput { AddGenerationPrompt = false }));
    }

    [Fact]
    public void Strftime_now_uses_the_injected_clock_and_its_local_zone()
    {
        var template = ChatTemplate.Parse("{{ strftime_now('%Y-%m-%d %H:%M %a %b %-d') }}");
        Assert.Equal("2024-02-29 12:00 Thu Feb 29", template.Render(new ChatTemplateInput { Clock = new FixedClock(Noon) }));

        var tokyo = TimeZoneInfo.CreateCustomTimeZone("UTC+9", TimeSpan.FromHours(9), "UTC+9", "UTC+9");
        Assert.Equal("2024-02-29 21:00 Thu Feb 29", template.Render(new ChatTemplateInput { Clock = new FixedClock(Noon, tokyo) }));
    }

    [Fact]
    public void A_parsed_template_renders_concurrently()
    {
        var template = ChatTemplate.Parse("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + m.content | length %}{% endfor %}{{ ns.n }}");
        var results = Enumerable.Range(1, 64).AsParallel().Select(i =>
        {
            var messages = new JsonArray(Enumerable.Range(0, i).Select(_ => (JsonNode)new JsonObject { ["role"] = "user", ["content"] = "abc" }).ToArray());
            return (i, output: template.Render(new ChatTemplateInput { Messages = messages }));
        }).ToList();
        Assert.All(results, r => Assert.Equal((3 * r.i).ToString(), r.output));
    }

    [Fact]
    public void Conversation_helper_passes_tool_arguments_as_objects_when_the_template_reads_them()
    {
        const string template =
            "{% for m in messages %}{% for tc in m.tool_calls or [] %}{{ tc.function.arguments.city }}|{{ tc.function.arguments | tojson }}{% endfor %}{% endfor %}";
        var conversation = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "weather?" },
                new JsonObject
                {
                    ["role"] = "assistant",
                    ["tool_calls"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = "w", ["arguments"] = "{\"city\":\"Oslo\"}" },
                    }),
                }),
        };
        var prompt = ChatTemplateRenderer.RenderOpenAiConversation(template, conversation.ToJsonString(), "", "", true);
        Assert.Equal("Oslo|{\"city\": \"Oslo\"}", prompt);
    }

    [Fact]
    public void Conversation_helper_merges_the_system_message_for_templates_without_a_system_role()
    {
        const string template = "{% for m in messages %}{% if m.role != 'system' %}[{{ m.role }}:{{ m.content }}]{% endif %}{% endfor %}";
        const string conversation = """{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}""";
        Assert.False(ChatTemplateRenderer.DetectCapabilities(template).SupportsSystemRole);
        Assert.Equal("[user:Be brief.\nHi]", ChatTemplateRenderer.RenderOpenAiConversation(template, conversation, "", "", true));
    }

    [Fact]
    public void Conversation_helper_falls_back_to_chatml_for_an_empty_template()
    {
        const string conversation = """{"messages": [{"role": "user", "content": "Hi"}]}""";
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            ChatTemplateRenderer.RenderOpenAiConversation("", conversation, "", "", true));
    }

    [Fact]
    public void Conversation_helper_honours_chat_template_kwargs()
    {
        const string template = "{{ 'think' if enable_thinking else 'no-think' }}";
        Assert.Equal("think", ChatTemplateRenderer.RenderOpenAiConversation(template, """{"messages": []}""", "", "", true));
        Assert.Equal("no-think", ChatTemplateRenderer.RenderOpenAiConversation(
            template, """{"messages": [], "chat_template_kwargs": {"enable_thinking": false}}""", "", "", true));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"messages": {}}""", "Expected 'messages' to be an array")]
    [InlineData("""{"messages": [{"content": "x"}]}""", "Missing 'role'")]
    [InlineData("""{"messages": [{"role": "user"}]}""", "Expected 'content' or 'tool_calls'")]
    [InlineData("""{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}""", "Unsupported content part type")]
    [InlineData("""{"messages": [{"role": "user", "content": 5}]}""", "Invalid 'content' type")]
    [InlineData("""{"messages": [], "tools": [{"type": "retrieval"}]}""", "Unsupported tool type")]
    public void Malformed_conversations_are_rejected_like_llama_cpp(string conversation, string mention)
    {
        var e = Assert.Throws<ChatConversationException>(() =>
            ChatTemplateRenderer.RenderOpenAiConversation("{{ messages | length }}", conversation, "", "", true));
        Assert.Contains(mention, e.Message);
    }
}
