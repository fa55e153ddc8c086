using System.Diagnostics;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Plugins.Tests.CustomerService;

/// <summary>The support database on real SQLite files: migrations, WAL, transactions, durability and concurrency.</summary>
public class SupportDatabaseTests
{
    private static string NewPath() => Path.Combine(TestAssets.NewTempDir("support-db"), "support.db");

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task ANewFileIsCreatedInWalModeAndMigratedToTheLatestVersion()
    {
        var path = NewPath();
        var database = new SupportDatabase(path);
        Assert.Equal(0, await database.GetSchemaVersionAsync());
        await using (await database.OpenAsync()) { }
        Assert.Equal(SupportDatabase.LatestVersion, await database.GetSchemaVersionAsync());
        Assert.Equal(4, SupportDatabase.LatestVersion);
        Assert.Equal("wal", await ScalarAsync(path, "PRAGMA journal_mode;"));
        Assert.Equal(4L, await ScalarAsync(path, "SELECT count(*) FROM schema_migrations;"));
        Assert.Equal("orders,tickets,ticket escalation and request ids,conversations", await ScalarAsync(path, "SELECT group_concat(name, ',') FROM (SELECT name FROM schema_migrations ORDER BY version);"));
    }

    [Fact]
    public async Task MigratingAgainFromAnotherInstanceChangesNothing()
    {
        var path = NewPath();
        await new SupportDatabase(path).MigrateAsync();
        var applied = await ScalarAsync(path, "SELECT group_concat(applied_at) FROM schema_migrations;");
        await new SupportDatabase(path).MigrateAsync();
        Assert.Equal(applied, await ScalarAsync(path, "SELECT group_concat(applied_at) FROM schema_migrations;"));
    }

    [Fact]
    public async Task AnOldDatabaseMigratesForwardKeepingItsTickets()
    {
        var path = NewPath();
        var old = new SupportDatabase(path);
        await old.MigrateToAsync(2, CancellationToken.None);
        Assert.Equal(2, await old.GetSchemaVersionAsync());
        await ScalarAsync(path, """
            INSERT INTO tickets (customer_id, subject, description, status, priority, created_at, updated_at)
            VALUES ('C-1', 'Old ticket', 'From schema 2', 'open', 'normal', '2024-01-02T03:04:05.0000000+00:00', '2024-01-02T03:04:05.0000000+00:00');
            """);

        var current = new SupportDatabase(path);
        var ticket = await new TicketRepository(current).FindAsync(1);
        Assert.Equal(SupportDatabase.LatestVersion, await current.GetSchemaVersionAsync());
        Assert.NotNull(ticket);
        Assert.Equal("TCK-000001", ticket!.TicketId);
        Assert.Equal("Old ticket", ticket.Subject);
        Assert.Null(ticket.EscalatedAt);
        var escalation = await new TicketRepository(current).EscalateAsync(1, "needs a person", "customer-care");
        Assert.Equal(TicketStatus.Escalated, escalation.Ticket.Status);
    }

    [Fact]
    public async Task ADatabaseFromANewerBuildIsRefusedNamingBothVersions()
    {
        var path = NewPath();
        await new SupportDatabase(path).MigrateAsync();
        await ScalarAsync(path, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x');");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await new SupportDatabase(path).OpenAsync());
        Assert.Contains("schema version 99, newer than this build knows (4)", ex.Message);
    }

    [Fact]
    public async Task AFailedWriteLeavesNoPartialTicket()
    {
        var database = new SupportDatabase(NewPath());
        var tickets = new TicketRepository(database);
        var ex = await Assert.ThrowsAsync<PluginInputException>(() => tickets.CreateAsync(new NewTicket("C-1", "s", "d", OrderId: "ORD-99999")));
        Assert.Equal("order_id: there is no order ORD-99999 for customer C-1", ex.Message);
        Assert.Equal(0, await tickets.CountAsync());
        Assert.Equal(0L, await ScalarAsync(database.Path, "SELECT count(*) FROM ticket_events;"));
    }

    [Fact]
    public async Task ARetriedCreateWithTheSameRequestIdReturnsTheSameTicket()
    {
        var tickets = new TicketRepository(new SupportDatabase(NewPath()));
        var first = await tickets.CreateAsync(new NewTicket("C-1", "Broken zip", "The zip broke.", RequestId: "req-1"));
        var again = await tickets.CreateAsync(new NewTicket("C-1", "Broken zip", "The zip broke.", RequestId: "req-1"));
        var other = await tickets.CreateAsync(new NewTicket("C-2", "Broken zip", "The zip broke.", RequestId: "req-1"));
        Assert.Equal(first.TicketId, again.TicketId);
        Assert.NotEqual(first.TicketId, other.TicketId);
        Assert.Equal(2, await tickets.CountAsync());
    }

    [Fact]
    public async Task ConcurrentTicketWritesFromTwentyTasksLoseNothing()
    {
        var database = new SupportDatabase(NewPath());
        var tickets = new TicketRepository(database);
        const int tasks = 20, perTask = 10;
        var created = await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < perTask; i++)
            {
                var ticket = await tickets.CreateAsync(new NewTicket($"C-{t}", $"task {t} ticket {i}", "concurrent write"));
                // A read-modify-write on the same ticket, racing the other tasks' creates.
                await tickets.UpdateAsync(long.Parse(ticket.TicketId[4..]), new TicketUpdate(TicketStatus.PendingCustomer, Note: $"note {t}/{i}"));
                ids.Add(ticket.TicketId);
            }
            return ids;
        })));

        var all = created.SelectMany(x => x).ToList();
        Assert.Equal(tasks * perTask, all.Distinct().Count());
        Assert.Equal(tasks * perTask, await tickets.CountAsync());
        Assert.Equal((long)tasks * perTask * 3, await ScalarAsync(database.Path, "SELECT count(*) FROM ticket_events;"));
        for (var t = 0; t < tasks; t++)
        {
            var mine = await tickets.ListByCustomerAsync($"C-{t}", 100);
            Assert.Equal(Enumerable.Range(0, perTask).Select(i => $"task {t} ticket {i}").Reverse(), mine.Select(x => x.Subject));
            Assert.All(mine, x => Assert.Equal(TicketStatus.PendingCustomer, x.Status));
        }
        Assert.Equal("ok", await ScalarAsync(database.Path, "PRAGMA integrity_check;"));
    }

    /// <summary>
    /// A child process creates tickets and prints each acknowledgement after its commit; it is killed (SIGKILL, no
    /// graceful stop) the moment an acknowledgement is read. Every acknowledged ticket is in the file afterwards.
    /// </summary>
    [Fact]
    public async Task AnAcknowledgedTicketSurvivesKillingTheProcess()
    {
        var path = NewPath();
        var writer = Path.Combine(AppContext.BaseDirectory, "TicketWriter.dll");
        Assert.True(File.Exists(writer), $"test helper missing: {writer}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { writer, path }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var acknowledged = new List<(string Id, string Subject)>();
        try
        {
            var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal("READY", ready);
            while (acknowledged.Count < 25)
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
                Assert.NotNull(line);
                var parts = line!.Split(' ', 3);
                Assert.Equal("ACK", parts[0]);
                acknowledged.Add((parts[1], parts[2]));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        Assert.NotEqual(0, process.ExitCode); // killed, not finished

        var tickets = new TicketRepository(new SupportDatabase(path));
        foreach (var (id, subject) in acknowledged)
        {
            Assert.True(TicketRepository.TryParseId(id, out var number));
            var ticket = await tickets.FindAsync(number);
            Assert.NotNull(ticket);
            Assert.Equal(subject, ticket!.Subject);
            Assert.Equal("created", Assert.Single(ticket.Events).Kind);
        }
        Assert.True(await tickets.CountAsync() >= acknowledged.Count);
        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check;"));
    }
}
