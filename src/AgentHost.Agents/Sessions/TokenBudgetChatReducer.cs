using System.Runtime.CompilerServices;
using System.Text;
using AgentHost.Plugins.Text;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Sessions;

/// <summary>
/// MEAI's <see cref="IChatReducer"/> that keeps a conversation within a token budget counted with the model's own
/// tokenizer: the oldest whole turns (a user message and everything up to the next one, so a tool call never loses
/// its result) are replaced by one short note saying how many messages were left out, until the rest fits. The
/// newest turn is always kept.
/// </summary>
public sealed class TokenBudgetChatReducer(ITokenCounter tokens, Func<int> budget) : IChatReducer
{
    private static readonly ConditionalWeakTable<ChatMessage, StrongBox<int>> Counted = new();

    /// <summary>Per-message overhead of the chat template (role markers, separators), in tokens.</summary>
    public const int MessageOverhead = 4;

    public Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var list = messages.ToList();
        var limit = budget();
        var total = list.Sum(m => CountTokens(m, tokens));
        if (total <= limit) return Task.FromResult<IEnumerable<ChatMessage>>(list);

        // Turn starts: indices of user messages (the first message also starts a turn).
        var starts = list.Select((m, i) => (m, i)).Where(x => x.i == 0 || x.m.Role == ChatRole.User).Select(x => x.i).ToList();
        var cut = 0;
        foreach (var start in starts.Skip(1))
        {
            if (total <= limit) break;
            total -= list.Take(start).Skip(cut).Sum(m => CountTokens(m, tokens));
            cut = start;
        }
        if (cut == 0) return Task.FromResult<IEnumerable<ChatMessage>>(list);
        var note = new ChatMessage(ChatRole.User, $"[{cut} earlier messages of this conversation were left out to fit the context window.]");
        return Task.FromResult<IEnumerable<ChatMessage>>([note, .. list.Skip(cut)]);
    }

    /// <summary>Tokens of a message's text, tool calls and tool results, plus the template's overhead.</summary>
    public static int CountTokens(ChatMessage message, ITokenCounter tokens)
    {
        if (Counted.TryGetValue(message, out var box)) return box.Value;
        var text = new StringBuilder();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent t: text.Append(t.Text); break;
                case TextReasoningContent r: text.Append(r.Text); break;
                case FunctionCallContent c: text.Append(c.Name).Append(System.Text.Json.JsonSerializer.Serialize(c.Arguments, AIJsonUtilities.DefaultOptions)); break;
                case FunctionResultContent r: text.Append(r.Result is string s ? s : System.Text.Json.JsonSerializer.Serialize(r.Result, AIJsonUtilities.DefaultOptions)); break;
            }
        }
        var count = tokens.CountTokens(text.ToString()) + MessageOverhead;
        RememberTokens(message, count);
        return count;
    }

    internal static void RememberTokens(ChatMessage message, int count) => Counted.AddOrUpdate(message, new StrongBox<int>(count));
}
