using Microsoft.Data.Sqlite;

namespace AgentHost.Plugins.CustomerService.Storage;

/// <summary>Orders in the support database (read by the tools; written by the shop's import, here the samples' seed data).</summary>
public sealed class OrderRepository(SupportDatabase database)
{
    public async Task<Order?> FindAsync(string orderId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadOrdersAsync(connection, "WHERE o.id = $id", c => c.Parameters.AddWithValue("$id", orderId), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <summary>A customer's orders, newest first.</summary>
    public async Task<IReadOnlyList<Order>> ListByCustomerAsync(string customerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadOrdersAsync(connection, "WHERE o.customer_id = $c ORDER BY o.placed_at DESC LIMIT $limit", c =>
        {
            c.Parameters.AddWithValue("$c", customerId);
            c.Parameters.AddWithValue("$limit", limit);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM orders;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Inserts or replaces an order and its items in one transaction.</summary>
    public Task UpsertAsync(Order order, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO orders (id, customer_id, customer_email, status, placed_at, total_cents, currency, carrier, tracking_number, estimated_delivery)
                    VALUES ($id, $customer, $email, $status, $placed, $total, $currency, $carrier, $tracking, $eta)
                    ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, customer_email = excluded.customer_email,
                        status = excluded.status, placed_at = excluded.placed_at, total_cents = excluded.total_cents,
                        currency = excluded.currency, carrier = excluded.carrier, tracking_number = excluded.tracking_number,
                        estimated_delivery = excluded.estimated_delivery;
                    DELETE FROM order_items WHERE order_id = $id;
                    """;
                command.Parameters.AddWithValue("$id", order.OrderId);
                command.Parameters.AddWithValue("$customer", order.CustomerId);
                command.Parameters.AddWithValue("$email", order.CustomerEmail);
                command.Parameters.AddWithValue("$status", StorageFormat.Enum(order.Status));
                command.Parameters.AddWithValue("$placed", StorageFormat.Time(order.PlacedAt));
                command.Parameters.AddWithValue("$total", order.TotalCents);
                command.Parameters.AddWithValue("$currency", order.Currency);
                command.Parameters.AddWithValue("$carrier", StorageFormat.Db(order.Carrier));
                command.Parameters.AddWithValue("$tracking", StorageFormat.Db(order.TrackingNumber));
                command.Parameters.AddWithValue("$eta", StorageFormat.Db(order.EstimatedDelivery?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            var line = 0;
            foreach (var item in order.Items)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO order_items (order_id, line, sku, name, quantity, unit_price_cents) VALUES ($o, $l, $s, $n, $q, $p);";
                command.Parameters.AddWithValue("$o", order.OrderId);
                command.Parameters.AddWithValue("$l", ++line);
                command.Parameters.AddWithValue("$s", item.Sku);
                command.Parameters.AddWithValue("$n", item.Name);
                command.Parameters.AddWithValue("$q", item.Quantity);
                command.Parameters.AddWithValue("$p", item.UnitPriceCents);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);

    private static async Task<IReadOnlyList<Order>> ReadOrdersAsync(SqliteConnection connection, string where, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        var orders = new List<Order>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT o.id, o.customer_id, o.customer_email, o.status, o.placed_at, o.total_cents, o.currency, o.carrier, o.tracking_number, o.estimated_delivery FROM orders o {where};";
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                orders.Add(new Order
                {
                    OrderId = reader.GetString(0),
                    CustomerId = reader.GetString(1),
                    CustomerEmail = reader.GetString(2),
                    Status = StorageFormat.ParseEnum<OrderStatus>(reader.GetString(3)),
                    PlacedAt = StorageFormat.ParseTime(reader.GetString(4)),
                    TotalCents = reader.GetInt64(5),
                    Currency = reader.GetString(6),
                    Carrier = reader.IsDBNull(7) ? null : reader.GetString(7),
                    TrackingNumber = reader.IsDBNull(8) ? null : reader.GetString(8),
                    EstimatedDelivery = reader.IsDBNull(9) ? null : DateOnly.ParseExact(reader.GetString(9), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                });
            }
        }
        for (var i = 0; i < orders.Count; i++)
        {
            var items = new List<OrderItem>();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT sku, name, quantity, unit_price_cents FROM order_items WHERE order_id = $id ORDER BY line;";
            command.Parameters.AddWithValue("$id", orders[i].OrderId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                items.Add(new OrderItem(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)));
            orders[i] = orders[i] with { Items = items };
        }
        return orders;
    }
}
