using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Plugins.CustomerService.Storage;

/// <summary>
/// The SQLite file behind orders, tickets and conversations. Opened lazily: the first connection creates the file,
/// switches it to WAL and applies pending <see cref="SupportMigrations"/>. Every connection runs with
/// synchronous=FULL, so a committed write (a ticket acknowledged to the customer) survives a crash of the process or
/// the machine, foreign keys on, and a busy timeout so concurrent writers wait instead of failing.
/// </summary>
public sealed class SupportDatabase
{
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private volatile bool _migrated;

    public SupportDatabase(string path, ILogger<SupportDatabase>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => SupportMigrations.All[^1].Version;

    /// <summary>An open connection to a migrated database; dispose it when done.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!_migrated) await MigrateAsync(cancellationToken).ConfigureAwait(false);
        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so
    /// concurrent read-modify-write sequences serialize instead of failing to upgrade) and commits it.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The schema version the file is at (0 for a new file).</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
        return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies pending migrations (idempotent; safe from several processes at once).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default) => await MigrateToAsync(LatestVersion, cancellationToken).ConfigureAwait(false);

    /// <summary>Applies migrations up to <paramref name="version"/> only (tests use it to build an old schema).</summary>
    internal async Task MigrateToAsync(int version, CancellationToken cancellationToken)
    {
        await _migrateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_migrated) return;
            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            await using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            var mode = await ScalarAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
                _logger.LogWarning("SQLite could not switch {Path} to WAL (journal_mode is {Mode}); writes stay durable but readers block writers.", Path, mode);
            await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);", cancellationToken).ConfigureAwait(false);

            foreach (var migration in SupportMigrations.All.Where(m => m.Version <= version))
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
                // Re-read inside the write lock: another process may have migrated meanwhile.
                var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                if (current > LatestVersion)
                    throw new InvalidOperationException($"The support database {Path} is at schema version {current}, newer than this build knows ({LatestVersion}); upgrade AgentHost or use another Plugins:CustomerService:DatabasePath.");
                if (current >= migration.Version) continue;
                if (current != migration.Version - 1)
                    throw new InvalidOperationException($"The support database {Path} is at schema version {current}; migration {migration.Version} needs version {migration.Version - 1}.");
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                await using (var insert = connection.CreateCommand())
                {
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t);";
                    insert.Parameters.AddWithValue("$v", migration.Version);
                    insert.Parameters.AddWithValue("$n", migration.Name);
                    insert.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Support database {Path}: applied migration {Version} ({Name}).", Path, migration.Version, migration.Name);
            }
            var final = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            if (final > LatestVersion)
                throw new InvalidOperationException($"The support database {Path} is at schema version {final}, newer than this build knows ({LatestVersion}); upgrade AgentHost or use another Plugins:CustomerService:DatabasePath.");
            _migrated = version >= LatestVersion;
        }
        finally
        {
            _migrateGate.Release();
        }
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // synchronous=FULL: in WAL mode NORMAL may lose the last commits on power loss; an acknowledged ticket must not.
            await ExecuteAsync(connection, null, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var exists = await ScalarAsync(connection, transaction, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';", cancellationToken).ConfigureAwait(false);
        if (Convert.ToInt64(exists, System.Globalization.CultureInfo.InvariantCulture) == 0) return 0;
        var value = await ScalarAsync(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_migrations;", cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
