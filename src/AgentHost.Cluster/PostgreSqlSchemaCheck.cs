using AgentHost.Cluster.Options;
using AgentHost.Gguf;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace AgentHost.Cluster;

/// <summary>
/// Before Orleans' ADO.NET providers start, checks that each PostgreSQL database the node uses can be reached and
/// holds Orleans' scripts (deploy/orleans/postgresql). Without it a missing schema surfaces as an Npgsql exception from
/// deep inside the silo start-up (`relation "orleansquery" does not exist`) that names neither the key nor the fix.
/// </summary>
internal sealed class PostgreSqlSchemaCheck(AgentHostClusterOptions options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        // RuntimeInitialize: before membership (RuntimeGrainServices) and grain storage (ApplicationServices) open the database.
        lifecycle.Subscribe(nameof(PostgreSqlSchemaCheck), ServiceLifecycleStage.RuntimeInitialize, CheckAsync);

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (options.Provider == ClusterProvider.PostgreSQL)
            await CheckAsync("Cluster:ConnectionString", options.ConnectionString!, "InsertMembershipKey", "PostgreSQL-Clustering.sql", cancellationToken);
        if (options.SessionStore == SessionStoreProvider.PostgreSQL)
            await CheckAsync(options.SessionStoreConnectionString is null ? "Cluster:ConnectionString" : "Cluster:SessionStoreConnectionString",
                options.SessionStoreConnectionString ?? options.ConnectionString!, "WriteToStorageKey", "PostgreSQL-Persistence.sql", cancellationToken);
    }

    private static async Task CheckAsync(string key, string connectionString, string queryKey, string script, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new AgentHostException($"{key} is not an Npgsql connection string (Host=...;Port=...;Database=...;Username=...): {ex.Message}", ex);
        }
        // Where, without the password.
        var where = $"database '{parsed.Database ?? parsed.Username}' on {parsed.Host}:{parsed.Port}";
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT to_regclass('orleansquery') IS NOT NULL", connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is not true)
                throw new AgentHostException($"{key}: {where} has no Orleans schema (no OrleansQuery table): apply deploy/orleans/postgresql/PostgreSQL-Main.sql, then {script} (psql -f, see deploy/orleans/postgresql/README.md).");
            await using var query = new NpgsqlCommand("SELECT count(*) FROM orleansquery WHERE querykey = @key", connection);
            query.Parameters.AddWithValue("key", queryKey);
            if (await query.ExecuteScalarAsync(cancellationToken) is not (long and > 0))
                throw new AgentHostException($"{key}: {where} lacks Orleans' {queryKey} query: apply deploy/orleans/postgresql/{script} (psql -f, see deploy/orleans/postgresql/README.md).");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new AgentHostException($"{key}: cannot use {where}: {ex.Message}", ex);
        }
    }
}
