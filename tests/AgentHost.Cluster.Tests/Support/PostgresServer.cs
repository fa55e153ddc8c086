using System.Diagnostics;
using Npgsql;

namespace AgentHost.Cluster.Tests.Support;

/// <summary>
/// A real PostgreSQL server (Debian package postgresql, /usr/lib/postgresql/N/bin) on a free loopback port with its
/// own cluster in a temp folder, one database with Orleans' schema applied from deploy/orleans/postgresql by psql
/// exactly as docs/scale-out.md says; stopped and deleted on dispose.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    private const string SuperUser = "postgres";
    public const string Database = "agenthost";

    /// <summary>Orleans' scripts in the order they must run: the query table, then membership, then grain storage.</summary>
    public static readonly string[] OrleansScripts = ["PostgreSQL-Main.sql", "PostgreSQL-Clustering.sql", "PostgreSQL-Persistence.sql"];

    public static string ScriptsDir => Path.Combine(TestAssets.RepoRoot, "deploy", "orleans", "postgresql");

    private readonly Process _process;
    private readonly string _bin;
    private readonly string _dir;

    public int Port { get; }
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={Database}";

    private PostgresServer(Process process, string bin, string dir, int port) => (_process, _bin, _dir, Port) = (process, bin, dir, port);

    /// <summary>Starts the server; <paramref name="applySchema"/> false leaves the database empty (what a node says then).</summary>
    public static PostgresServer Start(bool applySchema = true)
    {
        // Newest installed major version; a missing install is a test failure, not a skip.
        var bin = (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "postgres")) && File.Exists(Path.Combine(b, "psql")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql; .ci/run installs it.");
        var port = RedisServer.FreePort();
        var dir = TestAssets.NewTempDir("postgres");
        // initdb and postgres refuse to run as root: as root the cluster belongs to the postgres OS user.
        if (Environment.IsPrivilegedProcess) Run("chown", [SuperUser, dir], dir);
        var data = Path.Combine(dir, "data");
        Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], dir, asServerUser: true);

        // A throwaway server: no durability settings worth the fsyncs, TCP on loopback only, its socket in its own folder.
        var psi = ServerUserStartInfo(Path.Combine(bin, "postgres"),
            ["-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", dir, "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"], dir);
        var process = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PostgresServer(process, bin, dir, port);
        try
        {
            var admin = $"Host=127.0.0.1;Port={port};Username={SuperUser};Database=postgres;Pooling=false";
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    using var connection = new NpgsqlConnection(admin);
                    connection.Open();
                    using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
                    create.ExecuteNonQuery();
                    break;
                }
                catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException && DateTime.UtcNow < deadline && !process.HasExited)
                {
                    Thread.Sleep(100);
                }
                catch (Exception ex)
                {
                    string text;
                    lock (log) text = log.ToString();
                    throw new InvalidOperationException($"PostgreSQL on port {port} did not come up: {ex.Message}\n{text}", ex);
                }
            }
            if (applySchema)
                foreach (var script in OrleansScripts) server.Psql(Path.Combine(ScriptsDir, script));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Runs a script in the database with psql, stopping at its first error.</summary>
    public void Psql(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"SQL script not found: {file}", file);
        Run(Path.Combine(_bin, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", SuperUser, "-d", Database, "-f", file], _dir);
    }

    /// <summary>The rows of a query, each column as text (null as null).</summary>
    public async Task<List<string?[]>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))]);
        return rows;
    }

    private static ProcessStartInfo ServerUserStartInfo(string exe, IEnumerable<string> args, string dir)
    {
        // setpriv execs the program itself (runuser would fork and wait), so the Process is the server and Kill reaches it.
        var privileged = Environment.IsPrivilegedProcess;
        var psi = new ProcessStartInfo(privileged ? "setpriv" : exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir, // the postgres user may not be allowed into the test's own folder
        };
        if (privileged)
            foreach (var a in new[] { $"--reuid={SuperUser}", $"--regid={SuperUser}", "--init-groups", "--", exe }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    private static void Run(string exe, IEnumerable<string> args, string dir, bool asServerUser = false)
    {
        ProcessStartInfo psi;
        if (asServerUser) psi = ServerUserStartInfo(exe, args, dir);
        else
        {
            psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
            foreach (var a in args) psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{Path.GetFileName(exe)} {string.Join(' ', psi.ArgumentList)} did not finish in 60 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(exe)} {string.Join(' ', psi.ArgumentList)} exited with {process.ExitCode}:\n{stdout.Result}{stderr.Result}");
    }

    public void Dispose()
    {
        // Immediate shutdown (SIGQUIT to the postmaster, which takes its backends down with it); the data is thrown away.
        try
        {
            if (!_process.HasExited)
            {
                try { Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "-t", "10"], _dir, asServerUser: true); }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException) { }
                if (!_process.WaitForExit(5000)) { _process.Kill(); _process.WaitForExit(5000); }
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
