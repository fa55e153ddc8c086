using System.ComponentModel;
using AgentHost.Gguf;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Tests.Engine;
using AgentHost.Native;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Tests.Chat;

/// <summary>
/// Thinking models end to end through MEAI's own function-invocation middleware: random-weight models with the real
/// Qwen3 and gpt-oss templates think (bounded by the reasoning budget, which closes the block for them: a random
/// model never would), call a real .NET function in their family's syntax, get its result back through the
/// template, and answer. Reasoning arrives as <see cref="TextReasoningContent"/>, streamed as it is generated, and
/// no thinking or call marker reaches the text.
/// </summary>
public class ReasoningRoundTripTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Budget = 12;

    public static IEnumerable<object[]> Families() =>
    [
        ["Qwen-Qwen3-0.6B", "hermes", new[] { "<think>", "</think>", "<tool_call>", "</tool_call>" }],
        ["openai-gpt-oss-120b", "gpt-oss", new[] { "<|channel|>", "<|message|>", "<|end|>", "<|start|>", "to=functions" }],
    ];

    public enum OrderId { A1001, B2002, C3003 }

    private sealed class OrderDesk
    {
        public List<OrderId> Looked { get; } = [];

        // An enum keeps a random model's value short: a free string it would write until the length limit.
        [Description("Looks up an order by its id")]
        public string LookupOrder([Description("The order id")] OrderId order_id)
        {
            lock (Looked) Looked.Add(order_id);
            return $"Order {order_id}: shipped yesterday.";
        }
    }

    private static (LlamaModel Model, LlamaEngine Engine, LlamaChatClient Client) Load(string template)
    {
        var path = Path.Combine(TestAssets.NewTempDir("reasoning-" + template), "model.gguf");
        // gpt-oss's o200k vocabulary is not in the bundle: both templates run over the qwen2 vocabulary.
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 11 }, TestAssets.VocabGguf("qwen2"), File.ReadAllText(TestAssets.ChatTemplate(template)), path);
        var model = LlamaModel.Load(path, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });
        var options = StoriesModelFixture.Options(parallel: 1, context: 4096);
        options.ModelPath = path;
        var engine = LlamaEngine.Create(model, options);
        return (model, engine, new LlamaChatClient(engine, ChatPromptFormatterFactory.Create(model, null)));
    }

    private static ChatOptions Options(OrderDesk desk, int seed) => new()
    {
        Tools = [AIFunctionFactory.Create(desk.LookupOrder, "lookup_order")],
        ToolMode = ChatToolMode.RequireAny,
        AllowMultipleToolCalls = false,
        Temperature = 1, TopK = 0, TopP = 1, Seed = seed, MaxOutputTokens = 160,
        AdditionalProperties = new() { [ChatReasoning.EnableThinkingKey] = true, [ChatReasoning.ThinkingBudgetKey] = Budget },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Thinking_then_a_call_round_trips_through_UseFunctionInvocation(string template, string family, string[] markers)
    {
        var (model, engine, llama) = Load(template);
        using var _ = model;
        using var __ = engine;
        Assert.Equal(family, llama.ChatFormat?.Name);
        using var client = new ChatClientBuilder(llama).UseFunctionInvocation().Build();

        // A random model thinks first or calls at once, as the grammar allows either: each seed's round trip must
        // hold, and the first seed (of a few, always the same) on which it thinks shows the reasoning.
        int? thinkingSeed = null;
        ChatResponse? whole = null;
        for (var seed = 1; seed <= 16 && thinkingSeed is null; seed++)
        {
            var desk = new OrderDesk();
            whole = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")], Options(desk, seed));
            Describe($"whole seed {seed}", whole.Messages);
            if (AssertRoundTrip(desk, whole.Messages, markers)) thinkingSeed = seed;
        }
        Assert.True(thinkingSeed is not null, "the model never thought before its call");

        // Streamed, the same seed gives the same turns, the reasoning arriving in pieces before the call it leads to.
        var streamedDesk = new OrderDesk();
        var updates = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")], Options(streamedDesk, thinkingSeed.Value)).ToListAsync();
        var streamed = updates.ToChatResponse();
        Describe($"streamed seed {thinkingSeed}", streamed.Messages);
        Assert.True(AssertRoundTrip(streamedDesk, streamed.Messages, markers), "the streamed turn did not think");
        var firstCall = updates.FindIndex(u => u.Contents.OfType<FunctionCallContent>().Any());
        Assert.True(updates.Take(firstCall).Count(u => u.Contents.OfType<TextReasoningContent>().Any(r => r.Text.Length > 0)) > 1,
            "reasoning before the call did not stream in pieces");
        Assert.Equal(Reasoning(whole!.Messages), Reasoning(streamed.Messages));
        Assert.Equal(whole.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().Arguments!["order_id"]?.ToString(),
            streamed.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().Arguments!["order_id"]?.ToString());
    }

    private static string Reasoning(IEnumerable<ChatMessage> messages) =>
        string.Concat(messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));

    private void Describe(string label, IEnumerable<ChatMessage> messages)
    {
        foreach (var m in messages)
            output.WriteLine($"{label} {m.Role}: " + string.Join(" | ", m.Contents.Select(c => c switch
            {
                TextReasoningContent r => $"reasoning({r.Text.Length} chars)",
                TextContent t => $"text({t.Text.Length} chars)",
                FunctionCallContent f => $"call {f.Name}",
                FunctionResultContent r => $"result {r.Result}",
                _ => c.GetType().Name,
            })));
    }

    /// <returns>Whether the turn that called thought first.</returns>
    private static bool AssertRoundTrip(OrderDesk desk, IList<ChatMessage> messages, string[] markers)
    {
        // The function really ran, once, and its result went back to the model, which answered after it.
        var looked = Assert.Single(desk.Looked);
        var call = Assert.Single(messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("lookup_order", call.Name);
        Assert.Equal(looked.ToString(), call.Arguments!["order_id"]?.ToString());
        var result = Assert.Single(messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>());
        Assert.Equal(call.CallId, result.CallId);
        Assert.Contains("shipped yesterday", result.Result?.ToString());
        var callIndex = messages.ToList().FindIndex(m => m.Contents.OfType<FunctionCallContent>().Any());
        Assert.Contains(messages.Skip(callIndex + 1), m => m.Role == ChatRole.Assistant);

        // No marker in text or reasoning: the engine closed the thinking it cut short, and the parser took the tags out.
        var reasoning = messages.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList();
        foreach (var text in messages.SelectMany(m => m.Contents).OfType<TextContent>().Select(t => t.Text).Concat(reasoning.Select(r => r.Text)))
            foreach (var marker in markers)
                Assert.DoesNotContain(marker, text);
        return messages.Take(callIndex + 1).Any(m => m.Contents.OfType<TextReasoningContent>().Any(r => r.Text.Length > 0));
    }
}
