using System.Runtime.CompilerServices;
using System.Text;
using AgentHost.Plugins.CustomerService.Storage;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Plugins.CustomerService;

/// <summary>
/// A multi-turn support conversation per customer: the customer's earlier messages come from the database, the
/// model may call the CustomerService tools (scoped to that customer), and each turn is stored as it happens, so a
/// conversation survives restarts and two customers never share history.
/// </summary>
public sealed class SupportAgent(Kernel kernel, ConversationRepository conversations, IOptions<AgentHostPluginOptions> options)
{
    /// <summary>The system message: fixed instructions only; the customer's words always travel as user messages.</summary>
    public const string Instructions = """
        You are the customer-support assistant of an online shop. Be friendly, brief and accurate.
        - Use the CustomerService tools: search the knowledge base before answering policy questions, look up orders before talking about them, and never invent order details, policies or dates.
        - Open a ticket when the customer reports a problem you cannot solve in the conversation, and tell them its id.
        - Escalate to a human when the customer asks for a person, is upset after two attempts, or the request needs a decision (refund exceptions, damaged or unsafe products).
        - Tool results with "ok": false explain what went wrong; fix the call or tell the customer what you need.
        """;

    private readonly CustomerServiceOptions _options = options.Value.CustomerService;

    /// <summary>The whole reply to one customer message.</summary>
    public async Task<string> ReplyAsync(string customerId, string message, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        await foreach (var part in ReplyStreamingAsync(customerId, message, cancellationToken).ConfigureAwait(false)) text.Append(part);
        return text.ToString();
    }

    /// <summary>The reply to one customer message, as it is generated.</summary>
    public async IAsyncEnumerable<string> ReplyStreamingAsync(string customerId, string message, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var customer = CustomerContext.ValidateId(customerId, "customer_id");
        Require.Text(message, "message", 4000);
        var history = await HistoryAsync(customer, cancellationToken).ConfigureAwait(false);
        history.AddUserMessage(message);
        // The customer's message is stored before the model runs: what they said is kept even if generation fails.
        await conversations.AppendAsync(customer, "user", message, cancellationToken).ConfigureAwait(false);

        var scoped = CustomerContext.For(kernel, customer);
        var tools = scoped.Plugins.TryGetPlugin(CustomerServicePlugin.PluginName, out var plugin) ? plugin.ToList() : [];
        var settings = new PromptExecutionSettings
        {
            FunctionChoiceBehavior = tools.Count > 0 ? FunctionChoiceBehavior.Auto(tools) : null,
            ExtensionData = new Dictionary<string, object> { ["max_tokens"] = _options.MaxReplyTokens, ["temperature"] = 0.3 },
        };
        var chat = scoped.GetRequiredService<IChatCompletionService>();
        var reply = new StringBuilder();
        await foreach (var update in chat.GetStreamingChatMessageContentsAsync(history, settings, scoped, cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrEmpty(update.Content)) continue;
            reply.Append(update.Content);
            yield return update.Content;
        }
        await conversations.AppendAsync(customer, "assistant", reply.ToString().Trim(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The system message and the customer's most recent stored turns.</summary>
    public async Task<ChatHistory> HistoryAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var history = new ChatHistory(Instructions);
        foreach (var m in await conversations.RecentAsync(customerId, _options.MaxHistoryMessages, cancellationToken).ConfigureAwait(false))
        {
            if (m.Role == "user") history.AddUserMessage(m.Content);
            else history.AddAssistantMessage(m.Content);
        }
        return history;
    }
}
