using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AgentHost.Plugins.CustomerService.Storage;

/// <summary>What is needed to open a ticket. <see cref="RequestId"/> makes creation idempotent per customer.</summary>
public sealed record NewTicket(string CustomerId, string Subject, string Description, TicketPriority Priority = TicketPriority.Normal,
    string? OrderId = null, string? RequestId = null, string Author = "assistant");

/// <summary>A change to a ticket; null members stay as they are.</summary>
public sealed record TicketUpdate(TicketStatus? Status = null, TicketPriority? Priority = null, string? Note = null, string Author = "assistant");

/// <summary>
/// Tickets and their history. Every change is one write transaction that also appends to ticket_events, and a
/// method returns only after the commit: a ticket id handed to a customer is on disk.
/// </summary>
public sealed class TicketRepository(SupportDatabase database, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>The id customers see: TCK- and six digits.</summary>
    public static string FormatId(long id) => "TCK-" + id.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Accepts TCK-000042, tck-42 or 42.</summary>
    public static bool TryParseId(string? text, out long id)
    {
        id = 0;
        var t = text?.Trim() ?? "";
        if (t.StartsWith("TCK-", StringComparison.OrdinalIgnoreCase)) t = t[4..];
        return t.Length is > 0 and <= 12 && t.All(char.IsAsciiDigit) && long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }

    public Task<Ticket> CreateAsync(NewTicket ticket, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            if (ticket.RequestId is { } requestId)
            {
                var existing = await ScalarAsync(connection, transaction, "SELECT id FROM tickets WHERE customer_id = $c AND request_id = $r;",
                    cancellationToken, ("$c", ticket.CustomerId), ("$r", requestId)).ConfigureAwait(false);
                if (existing is long existingId) return (await ReadAsync(connection, transaction, existingId, cancellationToken).ConfigureAwait(false))!;
            }
            if (ticket.OrderId is { } orderId)
            {
                var owner = await ScalarAsync(connection, transaction, "SELECT customer_id FROM orders WHERE id = $o;", cancellationToken, ("$o", orderId)).ConfigureAwait(false) as string;
                if (owner != ticket.CustomerId)
                    throw new PluginInputException("order_id", $"there is no order {orderId} for customer {ticket.CustomerId}");
            }
            var now = StorageFormat.Time(_time.GetUtcNow());
            var id = (long)(await ScalarAsync(connection, transaction, """
                INSERT INTO tickets (customer_id, subject, description, status, priority, order_id, created_at, updated_at, request_id)
                VALUES ($c, $s, $d, $status, $p, $o, $now, $now, $r) RETURNING id;
                """, cancellationToken,
                ("$c", ticket.CustomerId), ("$s", ticket.Subject), ("$d", ticket.Description), ("$status", StorageFormat.Enum(TicketStatus.Open)),
                ("$p", StorageFormat.Enum(ticket.Priority)), ("$o", ticket.OrderId), ("$now", now), ("$r", ticket.RequestId)).ConfigureAwait(false))!;
            await AddEventAsync(connection, transaction, id, now, "created", ticket.Author, ticket.Subject, cancellationToken).ConfigureAwait(false);
            return (await ReadAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    public async Task<Ticket?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A customer's tickets, newest first, without their events.</summary>
    public async Task<IReadOnlyList<Ticket>> ListByCustomerAsync(string customerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id FROM tickets WHERE customer_id = $c ORDER BY id DESC LIMIT $limit;";
            command.Parameters.AddWithValue("$c", customerId);
            command.Parameters.AddWithValue("$limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetInt64(0));
        }
        var tickets = new List<Ticket>();
        foreach (var id in ids)
            tickets.Add((await ReadAsync(connection, null, id, cancellationToken, withEvents: false).ConfigureAwait(false))!);
        return tickets;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (long)(await ScalarAsync(connection, null, "SELECT count(*) FROM tickets;", cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Changes status, priority and/or adds a note. A closed ticket cannot change.</summary>
    public Task<Ticket> UpdateAsync(long id, TicketUpdate update, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var ticket = await ReadAsync(connection, transaction, id, cancellationToken, withEvents: false).ConfigureAwait(false)
                ?? throw new PluginInputException("ticket_id", $"there is no ticket {FormatId(id)}");
            if (ticket.Status == TicketStatus.Closed)
                throw new PluginInputException("ticket_id", $"ticket {ticket.TicketId} is closed and cannot change; open a new ticket instead");
            var now = StorageFormat.Time(_time.GetUtcNow());
            if (update.Status is { } status && status != ticket.Status)
            {
                if (status == TicketStatus.Escalated)
                    throw new PluginInputException("status", "use EscalateToHuman to escalate a ticket (it records the reason and queues it for a person)");
                await ExecuteAsync(connection, transaction, "UPDATE tickets SET status = $s, updated_at = $now WHERE id = $id;", cancellationToken,
                    ("$s", StorageFormat.Enum(status)), ("$now", now), ("$id", id)).ConfigureAwait(false);
                await AddEventAsync(connection, transaction, id, now, "status", update.Author, $"{StorageFormat.Enum(ticket.Status)} -> {StorageFormat.Enum(status)}", cancellationToken).ConfigureAwait(false);
            }
            if (update.Priority is { } priority && priority != ticket.Priority)
            {
                await ExecuteAsync(connection, transaction, "UPDATE tickets SET priority = $p, updated_at = $now WHERE id = $id;", cancellationToken,
                    ("$p", StorageFormat.Enum(priority)), ("$now", now), ("$id", id)).ConfigureAwait(false);
                await AddEventAsync(connection, transaction, id, now, "priority", update.Author, $"{StorageFormat.Enum(ticket.Priority)} -> {StorageFormat.Enum(priority)}", cancellationToken).ConfigureAwait(false);
            }
            if (update.Note is { Length: > 0 } note)
            {
                await ExecuteAsync(connection, transaction, "UPDATE tickets SET updated_at = $now WHERE id = $id;", cancellationToken, ("$now", now), ("$id", id)).ConfigureAwait(false);
                await AddEventAsync(connection, transaction, id, now, "note", update.Author, note, cancellationToken).ConfigureAwait(false);
            }
            return (await ReadAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    /// <summary>Hands the ticket to the human queue (idempotent: escalating an escalated ticket reports its place again).</summary>
    public Task<Escalation> EscalateAsync(long id, string reason, string team, string author = "assistant", CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var ticket = await ReadAsync(connection, transaction, id, cancellationToken, withEvents: false).ConfigureAwait(false)
                ?? throw new PluginInputException("ticket_id", $"there is no ticket {FormatId(id)}");
            if (ticket.Status is TicketStatus.Closed)
                throw new PluginInputException("ticket_id", $"ticket {ticket.TicketId} is closed; open a new ticket to reach a person");
            if (ticket.Status != TicketStatus.Escalated)
            {
                var now = StorageFormat.Time(_time.GetUtcNow());
                await ExecuteAsync(connection, transaction, """
                    UPDATE tickets SET status = $s, escalated_at = $now, escalation_reason = $r, assigned_team = $team, updated_at = $now WHERE id = $id;
                    """, cancellationToken, ("$s", StorageFormat.Enum(TicketStatus.Escalated)), ("$now", now), ("$r", reason), ("$team", team), ("$id", id)).ConfigureAwait(false);
                await AddEventAsync(connection, transaction, id, now, "escalated", author, $"to {team}: {reason}", cancellationToken).ConfigureAwait(false);
            }
            var position = (long)(await ScalarAsync(connection, transaction, """
                SELECT count(*) FROM tickets t, tickets me
                WHERE me.id = $id AND t.status = 'escalated' AND (t.escalated_at < me.escalated_at OR (t.escalated_at = me.escalated_at AND t.id <= me.id));
                """, cancellationToken, ("$id", id)).ConfigureAwait(false))!;
            var escalated = (await ReadAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!;
            return new Escalation(escalated, (int)position,
                $"Ticket {escalated.TicketId} is with the {team} team, position {position} in the queue. A person will contact the customer.");
        }, cancellationToken);

    private static async Task<Ticket?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, long id, CancellationToken cancellationToken, bool withEvents = true)
    {
        Ticket ticket;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT id, customer_id, subject, description, status, priority, order_id, created_at, updated_at,
                       escalated_at, escalation_reason, assigned_team
                FROM tickets WHERE id = $id;
                """;
            command.Parameters.AddWithValue("$id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            ticket = new Ticket
            {
                TicketId = FormatId(reader.GetInt64(0)),
                CustomerId = reader.GetString(1),
                Subject = reader.GetString(2),
                Description = reader.GetString(3),
                Status = StorageFormat.ParseEnum<TicketStatus>(reader.GetString(4)),
                Priority = StorageFormat.ParseEnum<TicketPriority>(reader.GetString(5)),
                OrderId = reader.IsDBNull(6) ? null : reader.GetString(6),
                CreatedAt = StorageFormat.ParseTime(reader.GetString(7)),
                UpdatedAt = StorageFormat.ParseTime(reader.GetString(8)),
                EscalatedAt = reader.IsDBNull(9) ? null : StorageFormat.ParseTime(reader.GetString(9)),
                EscalationReason = reader.IsDBNull(10) ? null : reader.GetString(10),
                AssignedTeam = reader.IsDBNull(11) ? null : reader.GetString(11),
            };
        }
        if (!withEvents) return ticket;
        var events = new List<TicketEvent>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT at, kind, author, text FROM ticket_events WHERE ticket_id = $id ORDER BY id;";
            command.Parameters.AddWithValue("$id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                events.Add(new TicketEvent(StorageFormat.ParseTime(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        return ticket with { Events = events };
    }

    private static Task AddEventAsync(SqliteConnection connection, SqliteTransaction transaction, long ticketId, string at, string kind, string author, string text, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "INSERT INTO ticket_events (ticket_id, at, kind, author, text) VALUES ($t, $at, $k, $a, $x);", cancellationToken,
            ("$t", ticketId), ("$at", at), ("$k", kind), ("$a", author), ("$x", text));

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
