using System.Text;
using System.Text.Json.Nodes;
using AgentHost.ChatFormats;
using AgentHost.ChatFormats.Parsing;
using AgentHost.Grammar;
using AgentHost.Grammar.Tests.Recognizer;

namespace AgentHost.ChatFormats.Tests;

/// <summary>Shared tools, templates and checks for the family tests.</summary>
internal static class FamilyTestSupport
{
    public static ToolDefinition LookupOrder { get; } = new("lookup_order", "Looks up an order", JsonNode.Parse("""
        {"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}
        """));

    public static ToolDefinition SetFlags { get; } = new("set_flags", "Sets flags", JsonNode.Parse("""
        {"type":"object","properties":{"urgent":{"type":"boolean"},"tags":{"type":"array","items":{"type":"string"}},"count":{"type":"integer"}},"required":["urgent","tags"]}
        """));

    public static string Template(string name) => File.ReadAllText(TestAssets.ChatTemplate(name));

    public static ChatFormatPlan Plan(string template, ChatFormatInputs inputs)
    {
        var src = Template(template);
        var family = ChatFormats.Detect(src) ?? throw new InvalidOperationException($"no family for {template}");
        return family.Build(src, inputs);
    }

    /// <summary>Feeds <paramref name="reply"/> cut at every UTF-8 byte boundary and checks the streamed result equals the whole parse.</summary>
    public static void AssertStreamingMatchesWhole(ChatFormatPlan plan, string reply)
    {
        var whole = plan.Parse(reply);
        var bytes = Encoding.UTF8.GetBytes(reply);
        var parser = new StreamingChatParser(plan, i => "id" + i);
        var content = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ParsedChatToolCall>();
        for (var i = 0; i < bytes.Length; i++)
        {
            var d = parser.PushUtf8(bytes.AsSpan(i, 1));
            content.Append(d.Content);
            reasoning.Append(d.Reasoning);
            calls.AddRange(d.ToolCalls);
        }
        var last = parser.Complete();
        content.Append(last.Content);
        reasoning.Append(last.Reasoning);
        calls.AddRange(last.ToolCalls);
        Assert.Equal(whole.Content.Trim(), content.ToString().Trim());
        Assert.Equal(whole.ReasoningContent.Trim(), reasoning.ToString().Trim());
        Assert.Equal(whole.ToolCalls.Count, calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            Assert.Equal(whole.ToolCalls[i].Name, calls[i].Name);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(whole.ToolCalls[i].Arguments), JsonNode.Parse(calls[i].Arguments)));
        }
    }

    /// <summary>The plan's grammar accepts what the model wrote (after the trigger for a lazy grammar; after the prefill otherwise).</summary>
    public static void AssertGrammarAccepts(ChatFormatPlan plan, string reply)
    {
        Assert.NotNull(plan.Grammar);
        var recognizer = EarleyRecognizer.FromText(plan.Grammar!);
        string constrained;
        if (plan.GrammarLazy)
        {
            var full = plan.Inputs.GenerationPrompt + reply;
            var pos = TriggerPosition(plan, full);
            Assert.True(pos >= 0, "no trigger fired in: " + full);
            constrained = full[Math.Max(pos, plan.Inputs.GenerationPrompt.Length)..];
        }
        else
        {
            constrained = plan.Inputs.GenerationPrompt + reply;
        }
        Assert.True(recognizer.Accepts(constrained), $"grammar rejects:\n{constrained}\n---\n{plan.Grammar}");
    }

    public static int TriggerPosition(ChatFormatPlan plan, string full)
    {
        var best = -1;
        foreach (var w in plan.TriggerWords)
        {
            var i = full.IndexOf(w, StringComparison.Ordinal);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        foreach (var pattern in plan.TriggerPatterns)
        {
            var rx = new System.Text.RegularExpressions.Regex(pattern.StartsWith('^') && pattern.EndsWith('$') ? pattern : pattern);
            if (pattern.StartsWith('^') && pattern.EndsWith('$'))
            {
                for (var end = plan.Inputs.GenerationPrompt.Length; end <= full.Length; end++)
                {
                    var m = rx.Match(full[..end]);
                    if (m.Success && m.Index == 0 && m.Length == end)
                    {
                        var g = m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1].Index : m.Index;
                        if (best < 0 || g < best) best = g;
                        break;
                    }
                }
            }
            else
            {
                var m = rx.Match(full);
                if (m.Success)
                {
                    var g = m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1].Index : m.Index;
                    if (best < 0 || g < best) best = g;
                }
            }
        }
        return best;
    }
}
