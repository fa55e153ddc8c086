namespace AgentHost.Plugins.CustomerService.Storage;

/// <summary>One stored turn of a customer's conversation.</summary>
public sealed record ConversationMessage(DateTimeOffset At, string Role, string Content);

/// <summary>Each customer's conversation with the support assistant, kept across sessions and restarts.</summary>
public sealed class ConversationRepository(SupportDatabase database, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public Task AppendAsync(string customerId, string role, string content, CancellationToken cancellationToken = default)
    {
        if (role is not ("user" or "assistant")) throw new ArgumentOutOfRangeException(nameof(role), role, "role must be user or assistant");
        return database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO conversation_messages (customer_id, at, role, content) VALUES ($c, $at, $r, $x);";
            command.Parameters.AddWithValue("$c", customerId);
            command.Parameters.AddWithValue("$at", StorageFormat.Time(_time.GetUtcNow()));
            command.Parameters.AddWithValue("$r", role);
            command.Parameters.AddWithValue("$x", content);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The customer's last <paramref name="limit"/> messages, oldest first.</summary>
    public async Task<IReadOnlyList<ConversationMessage>> RecentAsync(string customerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, role, content FROM (SELECT id, at, role, content FROM conversation_messages WHERE customer_id = $c ORDER BY id DESC LIMIT $limit) ORDER BY id;";
        command.Parameters.AddWithValue("$c", customerId);
        command.Parameters.AddWithValue("$limit", limit);
        var messages = new List<ConversationMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            messages.Add(new ConversationMessage(StorageFormat.ParseTime(reader.GetString(0)), reader.GetString(1), reader.GetString(2)));
        return messages;
    }
}
