namespace AgentHost.Plugins.CustomerService.Storage;

/// <summary>One step of the support database schema, applied once, in order, inside a transaction.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The schema history of the support database. Steps are only ever appended: a released step never changes, so a
/// database created by any earlier build migrates forward.
/// </summary>
public static class SupportMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "orders", """
            CREATE TABLE orders (
                id                 TEXT PRIMARY KEY,
                customer_id        TEXT NOT NULL,
                customer_email     TEXT NOT NULL,
                status             TEXT NOT NULL,
                placed_at          TEXT NOT NULL,
                total_cents        INTEGER NOT NULL CHECK (total_cents >= 0),
                currency           TEXT NOT NULL,
                carrier            TEXT,
                tracking_number    TEXT,
                estimated_delivery TEXT
            );
            CREATE INDEX ix_orders_customer ON orders (customer_id, placed_at DESC);
            CREATE TABLE order_items (
                order_id         TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
                line             INTEGER NOT NULL,
                sku              TEXT NOT NULL,
                name             TEXT NOT NULL,
                quantity         INTEGER NOT NULL CHECK (quantity > 0),
                unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
                PRIMARY KEY (order_id, line)
            );
            """),
        new(2, "tickets", """
            CREATE TABLE tickets (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                customer_id TEXT NOT NULL,
                subject     TEXT NOT NULL,
                description TEXT NOT NULL,
                status      TEXT NOT NULL,
                priority    TEXT NOT NULL,
                order_id    TEXT REFERENCES orders (id),
                created_at  TEXT NOT NULL,
                updated_at  TEXT NOT NULL
            );
            CREATE INDEX ix_tickets_customer ON tickets (customer_id, id DESC);
            CREATE TABLE ticket_events (
                id        INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
                at        TEXT NOT NULL,
                kind      TEXT NOT NULL,
                author    TEXT NOT NULL,
                text      TEXT NOT NULL
            );
            CREATE INDEX ix_ticket_events_ticket ON ticket_events (ticket_id, id);
            """),
        // Escalation to a human and idempotent creation (a retried tool call with the same request id does not
        // open a second ticket).
        new(3, "ticket escalation and request ids", """
            ALTER TABLE tickets ADD COLUMN escalated_at TEXT;
            ALTER TABLE tickets ADD COLUMN escalation_reason TEXT;
            ALTER TABLE tickets ADD COLUMN assigned_team TEXT;
            ALTER TABLE tickets ADD COLUMN request_id TEXT;
            CREATE UNIQUE INDEX ux_tickets_request ON tickets (customer_id, request_id) WHERE request_id IS NOT NULL;
            CREATE INDEX ix_tickets_escalated ON tickets (status, escalated_at);
            """),
        new(4, "conversations", """
            CREATE TABLE conversation_messages (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                customer_id TEXT NOT NULL,
                at          TEXT NOT NULL,
                role        TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
                content     TEXT NOT NULL
            );
            CREATE INDEX ix_conversation_customer ON conversation_messages (customer_id, id);
            """),
    ];
}
