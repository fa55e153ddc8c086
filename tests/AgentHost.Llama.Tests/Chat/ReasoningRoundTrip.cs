using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Tests.Chat;

/// <summary>
/// The thinking-then-tool-call round trip both ways in (LlamaChatClient directly, and `agenthost serve` through the
/// OpenAI SDK), over an <see cref="IChatClient"/> with MEAI's function invocation: a real .NET function is called
/// with schema-valid arguments, its result goes back, the model answers; no thinking or call marker reaches any text.
/// </summary>
internal static class ReasoningRoundTrip
{
    public enum OrderId { A1001, B2002, C3003 }

    public sealed class OrderDesk
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

    /// <summary>
    /// A random model thinks first or calls at once, as the grammar allows either: every seed's round trip must hold,
    /// and the first seed (of a few, always the same) on which it thinks is streamed too, giving the same turns with
    /// the reasoning arriving in pieces before the call it leads to.
    /// </summary>
    public static async Task RunAsync(IChatClient client, Func<OrderDesk, int, ChatOptions> options, string[] markers, Action<string> log)
    {
        int? thinkingSeed = null;
        ChatResponse? whole = null;
        for (var seed = 1; seed <= 16 && thinkingSeed is null; seed++)
        {
            var desk = new OrderDesk();
            whole = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")], options(desk, seed));
            Describe($"whole seed {seed}", whole.Messages, log);
            if (AssertRoundTrip(desk, whole.Messages, markers)) thinkingSeed = seed;
        }
        Assert.True(thinkingSeed is not null, "the model never thought before its call");

        var streamedDesk = new OrderDesk();
        var updates = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")], options(streamedDesk, thinkingSeed.Value)).ToListAsync();
        var streamed = updates.ToChatResponse();
        Describe($"streamed seed {thinkingSeed}", streamed.Messages, log);
        Assert.True(AssertRoundTrip(streamedDesk, streamed.Messages, markers), "the streamed turn did not think");
        var firstCall = updates.FindIndex(u => u.Contents.OfType<FunctionCallContent>().Any());
        Assert.True(updates.Take(firstCall).Count(u => u.Contents.OfType<TextReasoningContent>().Any(r => r.Text.Length > 0)) > 1,
            "reasoning before the call did not stream in pieces");
        Assert.Equal(Reasoning(whole!.Messages), Reasoning(streamed.Messages));
        Assert.Equal(Argument(whole.Messages), Argument(streamed.Messages));
    }

    private static string Reasoning(IEnumerable<ChatMessage> messages) =>
        string.Concat(messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));

    private static string? Argument(IEnumerable<ChatMessage> messages) =>
        messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().Arguments!["order_id"]?.ToString();

    private static void Describe(string label, IEnumerable<ChatMessage> messages, Action<string> log)
    {
        foreach (var m in messages)
            log($"{label} {m.Role}: " + string.Join(" | ", m.Contents.Select(c => c switch
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
        var reasoning = messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text);
        foreach (var text in messages.SelectMany(m => m.Contents).OfType<TextContent>().Select(t => t.Text).Concat(reasoning))
            foreach (var marker in markers)
                Assert.DoesNotContain(marker, text);
        return messages.Take(callIndex + 1).Any(m => m.Contents.OfType<TextReasoningContent>().Any(r => r.Text.Length > 0));
    }
}
