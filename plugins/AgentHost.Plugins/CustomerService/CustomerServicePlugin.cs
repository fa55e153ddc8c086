using System.ComponentModel.DataAnnotations;
using System.ComponentModel;
using System.Text;
using System.Text.RegularExpressions;
using AgentHost.Plugins.CustomerService.Storage;
using AgentHost.Plugins.Structured;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.CustomerService;

/// <summary>A knowledge-base passage as a search tool returns it.</summary>
public sealed record PassageHit(string Source, string Text, double Score);

/// <summary>
/// Customer-support tools. Every tool validates its arguments and answers with a <see cref="ToolResult{T}"/>: the
/// value, or an error message the model can act on (an unknown order, a closed ticket, a malformed id). When the
/// kernel is scoped to a customer (<see cref="CustomerContext"/>), the tools only see that customer's records.
/// </summary>
[Description("Customer support: answers from the FAQ and policy knowledge base, order lookup, support tickets, escalation to a person.")]
public sealed partial class CustomerServicePlugin(
    PromptLibrary prompts, KnowledgeSource knowledge, OrderRepository orders, TicketRepository tickets, IOptions<AgentHostPluginOptions> options)
{
    public const string PluginName = "CustomerService";

    private const int MaxText = 4000;
    private readonly CustomerServiceOptions _options = options.Value.CustomerService;

    [KernelFunction, Description("Search the FAQ and policy documents for passages about a topic. Returns the best passages with their source.")]
    public Task<ToolResult<IReadOnlyList<PassageHit>>> SearchKnowledgeBaseAsync(
        [Description("What to look for, e.g. 'refund for a damaged item'."), StringLength(MaxText, MinimumLength = 1)] string query,
        [Description("How many passages to return (1-10)."), Range(1, 10)] int top = 3,
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync<IReadOnlyList<PassageHit>>(async () =>
        {
            Require.Text(query, "query", MaxText);
            Require.InRange(top, "top", 1, 10);
            var result = await Retriever().SearchAsync(query, top, cancellationToken).ConfigureAwait(false);
            return result.Hits.Select(h => new PassageHit(h.Passage.Source, h.Passage.Text, Math.Round(h.Score, 4))).ToList();
        });

    [KernelFunction, Description("Answer a customer's question from the knowledge base, citing the passages used.")]
    public Task<ToolResult<KnowledgeAnswer>> AnswerQuestionAsync(
        Kernel kernel,
        [Description("The customer's question."), StringLength(MaxText, MinimumLength = 1)] string question,
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync<KnowledgeAnswer>(async () =>
        {
            Require.Text(question, "question", MaxText);
            var search = await Retriever().SearchAsync(question, _options.TopPassages, cancellationToken).ConfigureAwait(false);
            var passages = new StringBuilder();
            for (var i = 0; i < search.Hits.Count; i++)
                passages.Append('[').Append(i + 1).Append("] ").Append(search.Hits[i].Passage.Source).Append('\n').Append(search.Hits[i].Passage.Text.Trim()).Append("\n\n");
            var arguments = new KernelArguments { ["question"] = question };
            // With nothing retrieved the prompt's default ("no passages found") tells the model to offer a ticket.
            if (passages.Length > 0) arguments["passages"] = passages.ToString().TrimEnd();
            var answer = await prompts[PluginName, "AnswerQuestion"].InvokeAsync(kernel, arguments, cancellationToken).ConfigureAwait(false);
            return new KnowledgeAnswer((answer.GetValue<object>()?.ToString() ?? "").Trim(), search.Hits.Select(h => h.Passage.Source).ToList(), search.Mode.ToString().ToLowerInvariant());
        });

    [KernelFunction, Description("Classify a customer message: intent, sentiment and urgency, with a one-sentence summary.")]
    public Task<ToolResult<MessageClassification>> ClassifyMessageAsync(
        Kernel kernel,
        [Description("The customer's message."), StringLength(MaxText, MinimumLength = 1)] string message,
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(() =>
        {
            Require.Text(message, "message", MaxText);
            return StructuredPrompt.InvokeAsync<MessageClassification>(prompts[PluginName, "ClassifyMessage"], kernel, new KernelArguments { ["message"] = message }, cancellationToken);
        });

    [KernelFunction, Description("Look up an order by its id (ORD- and digits): status, items, total, carrier, tracking number and estimated delivery.")]
    public Task<ToolResult<Order>> LookupOrderAsync(
        Kernel kernel,
        [Description("The order id, e.g. ORD-10042."), RegularExpression(OrderIdSchema)] string order_id,
        [Description("The customer id; leave empty in a signed-in conversation."), RegularExpression(OptionalCustomerIdSchema)] string customer_id = "",
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync<Order>(async () =>
        {
            var id = OrderId(order_id);
            var order = await orders.FindAsync(id, cancellationToken).ConfigureAwait(false);
            var customer = CustomerContext.Get(kernel) ?? (string.IsNullOrWhiteSpace(customer_id) ? null : CustomerContext.ValidateId(customer_id, "customer_id"));
            // Someone else's order reads as not found: the tool must not confirm that it exists.
            if (order is null || (customer is not null && !string.Equals(order.CustomerId, customer, StringComparison.OrdinalIgnoreCase)))
                return ToolResult<Order>.Failure(customer is null ? $"order_id: there is no order {id}" : $"order_id: there is no order {id} for customer {customer}");
            return ToolResult<Order>.Success(order);
        });

    [KernelFunction, Description("List a customer's most recent orders.")]
    public Task<ToolResult<IReadOnlyList<Order>>> ListOrdersAsync(
        Kernel kernel,
        [Description("The customer id; leave empty in a signed-in conversation."), RegularExpression(OptionalCustomerIdSchema)] string customer_id = "",
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(async () => await orders.ListByCustomerAsync(CustomerContext.Resolve(kernel, customer_id), 10, cancellationToken).ConfigureAwait(false));

    [KernelFunction, Description("Open a support ticket for the customer. Returns the ticket with its id (TCK-...), which can be given to the customer.")]
    public Task<ToolResult<Ticket>> CreateTicketAsync(
        Kernel kernel,
        [Description("A short subject line."), StringLength(200, MinimumLength = 1)] string subject,
        [Description("What the customer needs, with the relevant details."), StringLength(MaxText, MinimumLength = 1)] string description,
        [Description("low, normal, high or urgent."), RegularExpression("^(low|normal|high|urgent)$")] string priority = "normal",
        [Description("The related order id, if any."), RegularExpression(OptionalOrderIdSchema)] string order_id = "",
        [Description("The customer id; leave empty in a signed-in conversation."), RegularExpression(OptionalCustomerIdSchema)] string customer_id = "",
        [Description("An id that makes retries safe: the same request_id never opens a second ticket."), StringLength(100)] string request_id = "",
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(async () =>
        {
            var ticket = new NewTicket(
                CustomerContext.Resolve(kernel, customer_id),
                Require.Text(subject, "subject", 200).Trim(),
                Require.Text(description, "description", MaxText).Trim(),
                Require.Enum<TicketPriority>(priority, "priority"),
                string.IsNullOrWhiteSpace(order_id) ? null : OrderId(order_id),
                Require.OptionalText(request_id, "request_id", 100)?.Trim());
            return await tickets.CreateAsync(ticket, cancellationToken).ConfigureAwait(false);
        });

    [KernelFunction, Description("Update a ticket: change its status (open, pending_customer, resolved, closed) or priority, and/or add a note.")]
    public Task<ToolResult<Ticket>> UpdateTicketAsync(
        Kernel kernel,
        [Description("The ticket id, e.g. TCK-000042."), RegularExpression(TicketIdSchema)] string ticket_id,
        [Description("New status: open, pending_customer, resolved or closed; empty to keep it."), RegularExpression("^(open|pending_customer|resolved|closed)?$")] string status = "",
        [Description("New priority: low, normal, high or urgent; empty to keep it."), RegularExpression("^(low|normal|high|urgent)?$")] string priority = "",
        [Description("A note to add to the ticket's history; may be empty."), StringLength(MaxText)] string note = "",
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(async () =>
        {
            var id = await OwnTicketAsync(kernel, ticket_id, cancellationToken).ConfigureAwait(false);
            var update = new TicketUpdate(
                string.IsNullOrWhiteSpace(status) ? null : Require.Enum<TicketStatus>(status, "status"),
                string.IsNullOrWhiteSpace(priority) ? null : Require.Enum<TicketPriority>(priority, "priority"),
                Require.OptionalText(note, "note", MaxText)?.Trim());
            if (update is { Status: null, Priority: null, Note: null })
                throw new PluginInputException("status", "nothing to change: give a status, a priority or a note");
            return await tickets.UpdateAsync(id, update, cancellationToken).ConfigureAwait(false);
        });

    [KernelFunction, Description("Show a ticket with its history.")]
    public Task<ToolResult<Ticket>> GetTicketAsync(
        Kernel kernel,
        [Description("The ticket id, e.g. TCK-000042."), RegularExpression(TicketIdSchema)] string ticket_id,
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(async () =>
        {
            var id = await OwnTicketAsync(kernel, ticket_id, cancellationToken).ConfigureAwait(false);
            return (await tickets.FindAsync(id, cancellationToken).ConfigureAwait(false))!;
        });

    [KernelFunction, Description("Hand the conversation to a human agent: escalates the given ticket, or opens one, and queues it for a person.")]
    public Task<ToolResult<Escalation>> EscalateToHumanAsync(
        Kernel kernel,
        [Description("Why a person is needed."), StringLength(500, MinimumLength = 1)] string reason,
        [Description("The ticket to escalate; empty to open a new one."), RegularExpression("^(" + TicketIdCore + ")?$")] string ticket_id = "",
        [Description("A summary of the conversation for the human agent."), StringLength(MaxText)] string summary = "",
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(async () =>
        {
            var why = Require.Text(reason, "reason", 500).Trim();
            var notes = Require.OptionalText(summary, "summary", MaxText)?.Trim();
            long id;
            if (string.IsNullOrWhiteSpace(ticket_id))
            {
                var customer = CustomerContext.Resolve(kernel, null);
                var subject = why.Length <= 80 ? why : why[..80].TrimEnd() + "…";
                id = TicketNumber((await tickets.CreateAsync(new NewTicket(customer, "Escalation: " + subject, notes ?? why), cancellationToken).ConfigureAwait(false)).TicketId);
            }
            else
            {
                id = await OwnTicketAsync(kernel, ticket_id, cancellationToken).ConfigureAwait(false);
                if (notes is not null) await tickets.UpdateAsync(id, new TicketUpdate(Note: notes), cancellationToken).ConfigureAwait(false);
            }
            return await tickets.EscalateAsync(id, why, "customer-care", cancellationToken: cancellationToken).ConfigureAwait(false);
        });

    /// <summary>The knowledge base, or an error the model can relay when none is configured or it cannot be read.</summary>
    private Knowledge.KnowledgeRetriever Retriever()
    {
        Knowledge.KnowledgeRetriever retriever;
        try
        {
            retriever = knowledge.Retriever;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new PluginInputException("knowledge_base", ex.Message);
        }
        return retriever.Knowledge.Passages.Count > 0 ? retriever
            : throw new PluginInputException("knowledge_base", "no knowledge base is configured (set Plugins:CustomerService:KnowledgeBaseDirectory)");
    }

    /// <summary>The ticket's number, after checking it exists and belongs to the conversation's customer.</summary>
    private async Task<long> OwnTicketAsync(Kernel kernel, string ticketId, CancellationToken cancellationToken)
    {
        if (!TicketRepository.TryParseId(ticketId, out var id))
            throw new PluginInputException("ticket_id", $"'{ticketId}' is not a ticket id (expected TCK- and digits, e.g. TCK-000042)");
        var ticket = await tickets.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (ticket is null || !CustomerContext.MayAccess(kernel, ticket.CustomerId))
            throw new PluginInputException("ticket_id", $"there is no ticket {TicketRepository.FormatId(id)}" + (CustomerContext.Get(kernel) is { } c ? $" for customer {c}" : ""));
        return id;
    }

    private static long TicketNumber(string ticketId) => TicketRepository.TryParseId(ticketId, out var id) ? id : throw new InvalidOperationException(ticketId);

    private static string OrderId(string? value)
    {
        var id = value?.Trim().ToUpperInvariant() ?? "";
        return OrderIdPattern().IsMatch(id) ? id : throw new PluginInputException("order_id", $"'{value}' is not an order id (expected ORD- and 4 to 10 digits, e.g. ORD-10042)");
    }

    // The same rules in the parameters' JSON schemas (canonical spelling), so a grammar-constrained tool call can
    // only produce ids the tools accept.
    private const string OrderIdSchema = "^ORD-[0-9]{4,10}$";
    private const string OptionalOrderIdSchema = "^(ORD-[0-9]{4,10})?$";
    private const string TicketIdCore = "TCK-[0-9]{1,12}";
    private const string TicketIdSchema = "^" + TicketIdCore + "$";
    private const string OptionalCustomerIdSchema = "^([A-Za-z0-9][A-Za-z0-9_.@-]{0,63})?$";

    [GeneratedRegex(@"^ORD-\d{4,10}$")]
    private static partial Regex OrderIdPattern();
}
