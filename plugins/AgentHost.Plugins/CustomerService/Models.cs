using System.Text.Json.Serialization;
using AgentHost.Plugins.Structured;

namespace AgentHost.Plugins.CustomerService;

public enum OrderStatus { Pending, Processing, Shipped, Delivered, Cancelled, Returned }

public sealed record OrderItem(string Sku, string Name, int Quantity, long UnitPriceCents);

/// <summary>An order as the support tools show it to the model and the customer.</summary>
public sealed record Order
{
    public required string OrderId { get; init; }
    public required string CustomerId { get; init; }
    public required string CustomerEmail { get; init; }
    public required OrderStatus Status { get; init; }
    public required DateTimeOffset PlacedAt { get; init; }
    public required long TotalCents { get; init; }
    public required string Currency { get; init; }
    public string? Carrier { get; init; }
    public string? TrackingNumber { get; init; }
    public DateOnly? EstimatedDelivery { get; init; }
    public IReadOnlyList<OrderItem> Items { get; init; } = [];
}

public enum TicketStatus { Open, PendingCustomer, Escalated, Resolved, Closed }

public enum TicketPriority { Low, Normal, High, Urgent }

/// <summary>One entry of a ticket's history: creation, a note, a status change, an escalation.</summary>
public sealed record TicketEvent(DateTimeOffset At, string Kind, string Author, string Text);

/// <summary>A support ticket. <see cref="TicketId"/> (TCK-000042) is what the customer is told.</summary>
public sealed record Ticket
{
    public required string TicketId { get; init; }
    public required string CustomerId { get; init; }
    public required string Subject { get; init; }
    public required string Description { get; init; }
    public required TicketStatus Status { get; init; }
    public required TicketPriority Priority { get; init; }
    public string? OrderId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? EscalatedAt { get; init; }
    public string? EscalationReason { get; init; }
    public string? AssignedTeam { get; init; }
    public IReadOnlyList<TicketEvent> Events { get; init; } = [];
}

/// <summary>What <c>EscalateToHuman</c> tells the model: the escalated ticket and where it is in the human queue.</summary>
public sealed record Escalation(Ticket Ticket, int QueuePosition, string Message);

public enum Intent { OrderStatus, ReturnOrRefund, Billing, Shipping, ProductQuestion, TechnicalSupport, Account, Complaint, Feedback, Other }

public enum Sentiment { Negative, Neutral, Positive, Mixed }

public enum Urgency { Low, Normal, High }

/// <summary>Structured result of CustomerService.ClassifyMessage (the JSON schema in its config.json matches this type).</summary>
public sealed record MessageClassification(
    [property: JsonRequired] Intent Intent,
    [property: JsonRequired] Sentiment Sentiment,
    [property: JsonRequired] Urgency Urgency,
    [property: JsonRequired] string Summary) : IValidatableOutput
{
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Summary)) yield return "summary is empty";
    }
}

/// <summary>An answer from the knowledge base with the passages it was given.</summary>
public sealed record KnowledgeAnswer(string Answer, IReadOnlyList<string> Sources, string RetrievalMode);
