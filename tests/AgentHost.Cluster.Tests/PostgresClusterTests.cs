using System.Diagnostics;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace AgentHost.Cluster.Tests;

/// <summary>
/// Cluster:Provider=PostgreSQL and Cluster:SessionStore=PostgreSQL against a real PostgreSQL with Orleans' own schema
/// (deploy/orleans/postgresql, applied by psql): membership rows and conversation history live in the database.
/// </summary>
public sealed class PostgresClusterTests(ITestOutputHelper output)
{
    private const int Conversations = 12;
    private const int Turns = 4;

    // Orleans' SiloStatus values as the membership table stores them.
    private const string Active = "3";
    private const string Dead = "6";

    private static AgentHostClusterOptions Backend(PostgresServer pg) => new()
    {
        Provider = ClusterProvider.PostgreSQL,
        SessionStore = SessionStoreProvider.PostgreSQL,
        ConnectionString = pg.ConnectionString,
    };

    [Fact]
    public async Task Silos_on_PostgreSQL_membership_and_store_keep_every_turn_through_a_killed_silo_and_a_cluster_restart()
    {
        var clock = Stopwatch.StartNew();
        using var pg = PostgresServer.Start();
        output.WriteLine($"PostgreSQL on port {pg.Port} with Orleans' schema after {clock.Elapsed.TotalSeconds:0.0} s");
        var serviceId = "pg-" + Guid.NewGuid().ToString("N");
        List<TurnResult> results;
        string victim;
        await using (var cluster = await StoryCluster.StartAsync(3, Backend(pg), serviceId))
        {
            var clusterId = cluster.Cluster.Options.ClusterId;
            var members = await MembersAsync(pg, clusterId);
            output.WriteLine($"3 silos joined through PostgreSQL after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", members.Select(m => $"{m.Silo}={m.Status}"))}");
            Assert.Equal(cluster.Cluster.Silos.Select(s => s.Name).Order(), members.Where(m => m.Status == Active).Select(m => m.Silo).Order());

            string? victimName = null;
            Task? kill = null;
            (results, var retries) = await cluster.RunWorkloadAsync("pg", ClusterRouting.Affinity, maxRetries: 20, conversations: Conversations, turns: Turns, afterTurn: async (done, result) =>
            {
                // A third of the turns done, the rest in flight or to come: kill the silo that just answered a
                // conversation with turns still to come (which waits for the kill, so it has turns left to move).
                // No silo is special: membership is in the database.
                lock (cluster)
                {
                    if (victimName is not null || done < Conversations * Turns / 3 || result.Turn == Turns - 1) return;
                    victimName = result.Node;
                }
                kill = cluster.KillAsync(result.Node);
                await kill;
            });
            Assert.NotNull(kill);
            await kill!;
            victim = victimName!;
            output.WriteLine($"{results.Count} turns after {clock.Elapsed.TotalSeconds:0.0} s; killed {victim} after {Conversations * Turns / 3} turns; {retries} turns retried");
            Assert.Equal(Conversations * Turns, results.Count);

            // The victim's conversations went on elsewhere, and never back to it.
            var moved = results.GroupBy(r => r.Conversation).Where(g => g.Any(r => r.Node == victim) && g.Any(r => r.Node != victim)).ToList();
            Assert.NotEmpty(moved);
            Assert.All(moved, g =>
            {
                var nodes = g.OrderBy(r => r.Turn).Select(r => r.Node).ToList();
                var left = nodes.FindIndex(n => n != victim);
                Assert.All(nodes.Skip(left), n => Assert.NotEqual(victim, n));
            });
            output.WriteLine($"{moved.Count} conversations were on {victim} and continued on the other silos");

            // The survivors declared the victim dead in the database's membership table.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await MembersAsync(pg, clusterId)).Single(m => m.Silo == victim).Status != Dead && DateTime.UtcNow < deadline) await Task.Delay(200);
            members = await MembersAsync(pg, clusterId);
            output.WriteLine("membership table: " + string.Join(", ", members.Select(m => $"{m.Silo}={m.Status}")));
            Assert.Equal(Dead, members.Single(m => m.Silo == victim).Status);
            Assert.Equal(2, members.Count(m => m.Status == Active));

            // Every turn the client saw answered is in the store, once, in order, with the reply it saw.
            await AssertHistoriesAsync(cluster, results);
        }

        // One row of grain state per conversation, under this service, in Orleans' storage table.
        var rows = await pg.QueryAsync("SELECT graintypestring, count(*) FROM orleansstorage WHERE serviceid = @s GROUP BY graintypestring", ("s", serviceId));
        output.WriteLine("stored grain state: " + string.Join(", ", rows.Select(r => $"{r[0]}={r[1]}")));
        Assert.Equal(Conversations, rows.Sum(r => int.Parse(r[1]!, System.Globalization.CultureInfo.InvariantCulture)));

        // A new cluster (all earlier silos gone) on the same database reads every history back from PostgreSQL.
        await using (var again = await StoryCluster.StartAsync(1, Backend(pg), serviceId))
            await AssertHistoriesAsync(again, results);
        output.WriteLine($"histories read back by a restarted cluster; total {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Two_serve_cluster_processes_on_PostgreSQL_keep_every_history_when_one_is_killed_9()
    {
        const int conversations = 8;
        const int maxTokens = 8;
        var clock = Stopwatch.StartNew();
        using var pg = PostgresServer.Start();
        var environment = ClusterNodeProcess.EngineEnvironment(maxTokens);
        var nodes = new List<ClusterNodeProcess>();
        try
        {
            for (var i = 0; i < 2; i++) nodes.Add(ClusterNodeProcess.Start(pg.ConnectionString, environment, provider: ClusterProvider.PostgreSQL));
            await Task.WhenAll(nodes.Select(n => n.WaitServingAsync(TimeSpan.FromSeconds(90))));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var client = new HttpConversationClient(http);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (true)
            {
                var views = await Task.WhenAll(nodes.Select(n => client.NodesAsync(n.BaseUrl, cts.Token)));
                if (views.All(v => v.Members == 2 && v.Summaries == 2)) break;
                await Task.Delay(200, cts.Token);
            }
            output.WriteLine($"2 nodes serving and joined through PostgreSQL after {clock.Elapsed.TotalSeconds:0.0} s");

            // Every turn to a random live node. Two turns of every conversation, then kill -9 the node holding the
            // most of them while the last two turns are sent: each of its conversations has at least one turn left to
            // run on the other node.
            var random = new Random(7);
            var results = new List<HttpTurnResult>();
            var retries = 0;
            async Task TurnsAsync(int from, int to) => await Parallel.ForEachAsync(Enumerable.Range(0, conversations), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cts.Token }, async (c, ct) =>
            {
                for (var t = from; t < to; t++)
                {
                    HttpTurnResult? result = null;
                    for (var attempt = 0; result is null; attempt++)
                    {
                        ClusterNodeProcess entry;
                        lock (random) { var live = nodes.Where(n => !n.Killed).ToList(); entry = live[random.Next(live.Count)]; }
                        try
                        {
                            result = await client.SendAsync(entry.BaseUrl, $"pg-{c}", c, t, StoryWorkload.TurnMessages(c, t), maxTokens, stream: c % 2 == 0, ct);
                        }
                        catch (Exception ex) when (ex is TurnFailedException or HttpRequestException or IOException && attempt < 40 && !ct.IsCancellationRequested)
                        {
                            // The node lost (the entry or the one holding the conversation): the same turn again.
                            Interlocked.Increment(ref retries);
                            await Task.Delay(250, ct);
                        }
                    }
                    lock (results) results.Add(result);
                }
            });
            await TurnsAsync(0, 2);
            var victim = nodes.First(n => n.Name == results.Where(r => r.Turn == 1).GroupBy(r => r.Node).MaxBy(g => g.Count())!.Key);
            var rest = TurnsAsync(2, Turns);
            victim.Kill();
            await rest;
            Assert.Equal(conversations * Turns, results.Count);
            output.WriteLine($"{results.Count} turns after {clock.Elapsed.TotalSeconds:0.0} s; killed {victim.Name} (kill -9) after turn 1; {retries} attempts retried");
            var byConversation = results.GroupBy(r => r.Conversation).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Turn).ToList());
            foreach (var (c, turns) in byConversation.OrderBy(p => p.Key))
                output.WriteLine($"pg-{c}: " + string.Join(" ", turns.Select(r => $"{r.Node[(r.Node.LastIndexOf(':') + 1)..]}{(r.Replayed ? "(replayed)" : "")}")));
            // The victim's conversations ended on the survivor.
            var onVictim = byConversation.Values.Where(ts => ts[1].Node == victim.Name).ToList();
            Assert.NotEmpty(onVictim);
            Assert.All(onVictim, ts => Assert.NotEqual(victim.Name, ts[^1].Node));

            // The survivor recorded the victim's death in PostgreSQL.
            var survivor = nodes.Single(n => !n.Killed);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            List<string?[]> rows;
            while ((rows = await pg.QueryAsync("SELECT status FROM orleansmembershiptable WHERE siloname = @n", ("n", victim.Name))).FirstOrDefault()?[0] != Dead && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            Assert.Equal(Dead, rows.Single()[0]);

            // Every history, read through the survivor from the database, is what was sent and answered.
            foreach (var (c, turns) in byConversation)
            {
                var expected = new List<(string, string)>();
                foreach (var r in turns)
                {
                    expected.AddRange(StoryWorkload.TurnMessages(c, r.Turn).Select(m => (m.Role, m.Content)));
                    expected.Add(("assistant", r.Reply));
                }
                Assert.Equal(expected, await client.HistoryAsync(survivor.BaseUrl, $"pg-{c}", cts.Token));
            }
            output.WriteLine($"histories intact; total {clock.Elapsed.TotalSeconds:0.0} s");
        }
        catch
        {
            foreach (var n in nodes) output.WriteLine($"--- {n.Name} log (tail) ---\n{(n.Log.Length <= 4000 ? n.Log : n.Log[^4000..])}");
            throw;
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false, "has no Orleans schema (no OrleansQuery table): apply deploy/orleans/postgresql/PostgreSQL-Main.sql, then PostgreSQL-Clustering.sql")]
    [InlineData(true, "Cluster:ConnectionString: cannot use database 'agenthost' on 127.0.0.1:")]
    public async Task Serve_cluster_on_a_PostgreSQL_without_Orleans_schema_or_unreachable_exits_with_one_line_naming_the_key(bool unreachable, string expected)
    {
        using var pg = PostgresServer.Start(applySchema: false);
        // Unreachable: the same connection string with a port nothing listens on.
        var connectionString = unreachable ? pg.ConnectionString.Replace($"Port={pg.Port}", $"Port={RedisServer.FreePort()}", StringComparison.Ordinal) : pg.ConnectionString;
        await using var node = ClusterNodeProcess.Start(connectionString, ClusterNodeProcess.EngineEnvironment(8), provider: ClusterProvider.PostgreSQL);
        var exit = await node.WaitExitAsync(TimeSpan.FromSeconds(60));
        var error = node.Log.Split('\n').SingleOrDefault(l => l.StartsWith("agenthost: error:", StringComparison.Ordinal));
        output.WriteLine(error ?? node.Log);
        Assert.Equal(2, exit); // bad input
        // One line naming the key and the fix (Orleans itself still logs the failed start-up stage with its trace above it).
        Assert.NotNull(error);
        Assert.StartsWith("agenthost: error: Cluster:ConnectionString", error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("Unhandled exception", node.Log);
    }

    [Fact]
    public void A_PostgreSQL_node_without_a_connection_string_is_refused_naming_Cluster_ConnectionString()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var ex = Assert.Throws<OptionsValidationException>(() => builder.UseOrleans(silo => silo.AddAgentHostCluster(new AgentHostClusterOptions
        {
            Provider = ClusterProvider.PostgreSQL,
            SessionStore = SessionStoreProvider.PostgreSQL,
        })));
        Assert.Contains("Cluster:ConnectionString is required with Cluster:Provider=PostgreSQL.", ex.Message);
        Assert.Contains("Cluster:SessionStoreConnectionString (or Cluster:ConnectionString) is required with Cluster:SessionStore=PostgreSQL.", ex.Message);
    }

    [Fact]
    public void The_Orleans_scripts_the_docs_name_are_vendored_unchanged_with_their_source()
    {
        // The provider reads its queries from the table these scripts fill: each must be there, and the README must
        // say where they came from and how to apply them.
        var readme = File.ReadAllText(Path.Combine(PostgresServer.ScriptsDir, "README.md"));
        foreach (var script in PostgresServer.OrleansScripts)
        {
            var path = Path.Combine(PostgresServer.ScriptsDir, script);
            Assert.True(File.Exists(path), $"{script} is missing from {PostgresServer.ScriptsDir}");
            Assert.Contains(script, readme);
            // Unchanged: its git blob id (what `git hash-object` prints) is the one the README gives for the upstream file.
            var bytes = File.ReadAllBytes(path);
            var blob = System.Text.Encoding.ASCII.GetBytes($"blob {bytes.Length}\0").Concat(bytes).ToArray();
            var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(blob));
            Assert.True(readme.Contains(id, StringComparison.Ordinal), $"{script} (blob {id}) differs from the upstream file the README names");
        }
        Assert.Contains("github.com/dotnet/orleans", readme);
        Assert.Contains("MIT", readme);
        Assert.Contains("psql", readme);
        var docs = File.ReadAllText(Path.Combine(TestAssets.RepoRoot, "docs", "scale-out.md"));
        Assert.Contains("deploy/orleans/postgresql", docs);
    }

    private static async Task<List<(string Silo, string Status)>> MembersAsync(PostgresServer pg, string clusterId) =>
        [.. (await pg.QueryAsync("SELECT siloname, status FROM orleansmembershiptable WHERE deploymentid = @d", ("d", clusterId))).Select(r => (r[0]!, r[1]!))];

    private static async Task AssertHistoriesAsync(StoryCluster cluster, List<TurnResult> results)
    {
        var router = cluster.Entry(0);
        foreach (var g in results.GroupBy(r => r.Conversation))
        {
            var expected = new List<(string, string)>();
            foreach (var r in g.OrderBy(r => r.Turn))
            {
                expected.AddRange(StoryWorkload.TurnMessages(r.Conversation, r.Turn).Select(m => (m.Role, m.Content)));
                expected.Add(("assistant", r.Reply));
            }
            var history = await router.Conversation($"pg-{g.Key}").GetHistoryAsync();
            Assert.Equal(expected, history.Select(m => (m.Role, m.Content)).ToList());
        }
    }
}
