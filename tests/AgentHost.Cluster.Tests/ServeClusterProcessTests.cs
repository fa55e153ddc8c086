using System.Diagnostics;
using AgentHost.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace AgentHost.Cluster.Tests;

/// <summary>
/// Three real `agenthost serve --cluster` processes on loopback, Redis clustering and session store in a real
/// redis-server, each node its own engine on stories260K; conversation turns sent over HTTP to random nodes.
/// </summary>
public sealed class ServeClusterProcessTests(ITestOutputHelper output)
{
    private const int Conversations = StoryWorkload.Conversations;
    private const int MaxTokens = 16;
    // 5 turns of 16-token replies: more than the 512 tokens per slot of the grain tests.
    private const int ContextSize = 1024;

    private static Dictionary<string, string> NodeEnvironment() => new(ClusterNodeProcess.EngineEnvironment(MaxTokens))
    {
        ["AGENTHOST_Llama__ContextSize"] = ContextSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Turns_sent_to_any_node_run_where_their_cache_is_equal_a_single_node_and_survive_a_node_killed_under_load()
    {
        var clock = Stopwatch.StartNew();
        using var redis = RedisServer.Start();
        var nodes = new List<ClusterNodeProcess>();
        try
        {
            for (var i = 0; i < 3; i++) nodes.Add(ClusterNodeProcess.Start(redis.ConnectionString, NodeEnvironment()));
            await Task.WhenAll(nodes.Select(n => n.WaitServingAsync(TimeSpan.FromSeconds(90))));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var client = new HttpConversationClient(http);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await WaitForClusterAsync(client, nodes, cts.Token);
            output.WriteLine($"3 nodes serving and joined after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", nodes.Select(n => $"{n.Name} http {n.HttpPort}"))}");

            // Conversations side by side, each one's turns in order, every turn to a random live node (as behind a
            // load balancer that knows nothing of conversations); even conversations stream, odd ones do not.
            var random = new Random(16);
            ClusterNodeProcess PickEntry()
            {
                lock (random)
                {
                    var live = nodes.Where(n => !n.Killed).ToList();
                    return live[random.Next(live.Count)];
                }
            }
            var results = new List<HttpTurnResult>();
            var retries = 0;
            var failures = new List<string>();
            var done = 0;
            ClusterNodeProcess? victim = null;
            var killedAfter = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, Conversations), new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = cts.Token }, async (c, ct) =>
            {
                for (var t = 0; t < StoryWorkload.Turns; t++)
                {
                    HttpTurnResult? result = null;
                    for (var attempt = 0; result is null; attempt++)
                    {
                        var entry = PickEntry();
                        try
                        {
                            result = await client.SendAsync(entry.BaseUrl, $"conv-{c}", c, t, StoryWorkload.TurnMessages(c, t), MaxTokens, stream: c % 2 == 0, ct);
                        }
                        catch (Exception ex) when (ex is TurnFailedException or HttpRequestException or IOException && attempt < 30 && !ct.IsCancellationRequested)
                        {
                            // A node lost (the entry or the one holding the conversation): the same turn again, elsewhere.
                            lock (failures) { retries++; failures.Add($"conv-{c} turn {t} via {entry.Name}: {ex.Message.Split('\n')[0]}"); }
                            await Task.Delay(250, ct);
                        }
                    }
                    lock (results)
                    {
                        results.Add(result);
                        done++;
                        // Under load (40% of the turns done, six conversations mid-turn): kill -9 the node holding
                        // the most conversations with turns still to come.
                        if (victim is null && done >= Conversations * StoryWorkload.Turns * 2 / 5)
                        {
                            var holding = results.GroupBy(r => r.Conversation).Select(g => g.MaxBy(r => r.Turn)!)
                                .Where(r => r.Turn < StoryWorkload.Turns - 1).GroupBy(r => r.Node).MaxBy(g => g.Count());
                            if (holding is not null)
                            {
                                victim = nodes.First(n => n.Name == holding.Key);
                                killedAfter = done;
                                victim.Kill();
                            }
                        }
                    }
                }
            });
            output.WriteLine($"{results.Count} turns in {clock.Elapsed.TotalSeconds:0.0} s; killed {victim?.Name} (kill -9) after {killedAfter} turns; {retries} attempts retried");
            foreach (var f in failures.Take(8)) output.WriteLine("  retried: " + f);
            Assert.NotNull(victim);
            Assert.Equal(Conversations * StoryWorkload.Turns, results.Count);
            foreach (var g in results.GroupBy(r => r.Conversation).OrderBy(g => g.Key))
                output.WriteLine($"conv-{g.Key}: " + string.Join(" ", g.OrderBy(r => r.Turn).Select(r => $"{r.Node[(r.Node.LastIndexOf(':') + 1)..]}{(r.Replayed ? "(replayed)" : "")}")));

            // Affinity: a returning turn on the node that answered the turn before finds that turn's prompt and
            // reply in the node's cache (cached_tokens), whichever node the request entered at.
            var byConversation = results.GroupBy(r => r.Conversation).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Turn).ToList());
            var stayed = new List<double>();
            var moved = new List<double>();
            long recomputed = 0;
            foreach (var turns in byConversation.Values)
                for (var i = 1; i < turns.Count; i++)
                {
                    var (prev, cur) = (turns[i - 1], turns[i]);
                    if (prev.Replayed || cur.Replayed) continue;
                    var share = Math.Min(1.0, cur.CachedTokens / (double)(prev.PromptTokens + prev.CompletionTokens));
                    (cur.Node == prev.Node ? stayed : moved).Add(share);
                    if (cur.Node == prev.Node && share < 0.95)
                        output.WriteLine($"  low: conv-{cur.Conversation} turn {cur.Turn} on {cur.Node}, answered {results.IndexOf(cur) + 1}th (kill after {killedAfter}): {cur.CachedTokens} cached of {cur.PromptTokens}, previous turn {prev.PromptTokens}+{prev.CompletionTokens}");
                    if (cur.Node == prev.Node) recomputed += Math.Max(0, prev.PromptTokens + prev.CompletionTokens - cur.CachedTokens);
                }
            var entriesElsewhere = results.Count(r => r.Entry != nodes.First(n => n.Name == r.Node).BaseUrl);
            output.WriteLine($"turns answered by another node than the one they entered at: {entriesElsewhere} of {results.Count}");
            output.WriteLine($"history from cache on returning turns that stayed on their node: {stayed.Count} turns, min {stayed.Min():P1}, mean {stayed.Average():P1}, {recomputed} history tokens recomputed");
            if (moved.Count > 0) output.WriteLine($"returning turns that moved (their node was killed): {moved.Count}, mean {moved.Average():P1} from cache (recomputed once on the new node)");
            output.WriteLine($"longest prompt: {results.Max(r => r.PromptTokens)} tokens; replies streamed {results.Count(r => r.Streamed)}, whole {results.Count(r => !r.Streamed)}");
            Assert.True(entriesElsewhere > results.Count / 3, $"only {entriesElsewhere} turns crossed nodes: the routing was not exercised");
            Assert.True(stayed.Count >= Conversations * (StoryWorkload.Turns - 1) - 2 * Conversations, $"only {stayed.Count} returning turns stayed on their node");
            // (A node taking over a killed node's conversations used to lose one resident conversation's KV here:
            // the prompt-state cache gave a sibling conversation with the same opening the whole saved state.)
            var full = stayed.Count(x => x >= 0.95);
            output.WriteLine($"returning turns on their node with >= 95 % of their history from cache: {full} of {stayed.Count}");
            Assert.True(stayed.Min() >= 0.95, $"affinity: a returning turn had only {stayed.Min():P1} of its history from cache");
            Assert.All(results.Where(r => !r.Replayed), r => Assert.True(r.PromptTokens > 0 && r.CompletionTokens > 0, $"conv-{r.Conversation} turn {r.Turn}: no usage"));

            // The victim's conversations went on elsewhere, and never back to it.
            var victimName = victim!.Name;
            var continued = byConversation.Values.Where(ts => ts.Any(r => r.Node == victimName) && ts.Any(r => r.Node != victimName)).ToList();
            Assert.NotEmpty(continued);
            Assert.All(continued, ts =>
            {
                var left = ts.FindIndex(r => r.Node != victimName);
                Assert.All(ts.Take(left), r => Assert.Equal(victimName, r.Node));
                Assert.All(ts.Skip(left), r => Assert.NotEqual(victimName, r.Node));
            });
            output.WriteLine($"{continued.Count} conversations were on {victimName} and continued on the other nodes");

            // A retry of a turn already stored (its reply lost on the way) is answered from the store, at any node.
            var stored = byConversation[1][2];
            var again = await client.SendAsync(nodes.First(n => !n.Killed && n.Name != stored.Node).BaseUrl, "conv-1", 1, 2, StoryWorkload.TurnMessages(1, 2), MaxTokens, stream: true, cts.Token);
            Assert.True(again.Replayed);
            Assert.Equal(stored.Reply, again.Reply);
            // A turn ahead of the store, a bad turn header or a bad id: a clear 4xx naming the problem.
            var live = nodes.First(n => !n.Killed).BaseUrl;
            var ahead = await Assert.ThrowsAsync<TurnFailedException>(() => client.SendAsync(live, "conv-1", 1, 9, StoryWorkload.TurnMessages(1, 9), MaxTokens, stream: false, cts.Token));
            Assert.Contains("HTTP 409", ahead.Message);
            Assert.Contains("'conv-1' has 5 stored turns; turn 9 cannot be next", ahead.Message);
            Assert.Contains("turn_conflict", ahead.Message);
            var badId = await Assert.ThrowsAsync<TurnFailedException>(() => client.SendAsync(live, "conv#1", 1, 0, StoryWorkload.TurnMessages(1, 0), MaxTokens, stream: false, cts.Token));
            Assert.Contains("HTTP 400", badId.Message);
            Assert.Contains("must not contain '#'", badId.Message);

            // Nothing stored is lost or stored twice: every conversation's history in Redis, read through a live
            // node, is message by message what the client sent and was answered.
            var reader = nodes.First(n => !n.Killed);
            foreach (var (c, turns) in byConversation)
            {
                var expected = new List<(string, string)>();
                foreach (var r in turns)
                {
                    expected.AddRange(StoryWorkload.TurnMessages(c, r.Turn).Select(m => (m.Role, m.Content)));
                    expected.Add(("assistant", r.Reply));
                }
                Assert.Equal(expected, await client.HistoryAsync(reader.BaseUrl, $"conv-{c}", cts.Token));
            }

            // Greedy replies are those of one engine answering the conversations one after another (see
            // StoryCluster.Agreement for why not every last one).
            var single = await StoryCluster.SingleNodeRepliesAsync(Conversations, MaxTokens, o => o.ContextSize = ContextSize);
            var same = results.Count(r => single[(r.Conversation, r.Turn)] == r.Reply);
            foreach (var r in results.Where(r => single[(r.Conversation, r.Turn)] != r.Reply).Take(5))
                output.WriteLine($"  differs: conv-{r.Conversation} turn {r.Turn}: single node '{single[(r.Conversation, r.Turn)]}', cluster '{r.Reply}'");
            output.WriteLine($"greedy replies equal to a single node's: {same} of {results.Count} ({same / (double)results.Count:P1}); total {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Contains(single.Values, v => v.Length > 0);
            Assert.True(same >= 0.9 * results.Count, $"greedy agreement with a single node: {same} of {results.Count}");
        }
        catch
        {
            foreach (var n in nodes) output.WriteLine($"--- {n.Name} log (tail) ---\n{Tail(n.Log)}");
            throw;
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }

    [Fact]
    public async Task Round_robin_nodes_evaluate_again_the_history_that_affinity_finds_in_cache()
    {
        // The baseline of the test above: the same nodes with Cluster:Routing=RoundRobin, every turn run on the next
        // node in turn, so a returning turn's history is mostly not in that node's cache.
        using var redis = RedisServer.Start();
        var environment = NodeEnvironment();
        environment["AGENTHOST_Cluster__Routing"] = "RoundRobin";
        var nodes = new List<ClusterNodeProcess>();
        try
        {
            for (var i = 0; i < 3; i++) nodes.Add(ClusterNodeProcess.Start(redis.ConnectionString, environment));
            await Task.WhenAll(nodes.Select(n => n.WaitServingAsync(TimeSpan.FromSeconds(90))));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var client = new HttpConversationClient(http);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await WaitForClusterAsync(client, nodes, cts.Token);

            const int conversations = 10;
            var random = new Random(61);
            var results = new List<HttpTurnResult>();
            await Parallel.ForEachAsync(Enumerable.Range(0, conversations), new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = cts.Token }, async (c, ct) =>
            {
                for (var t = 0; t < StoryWorkload.Turns; t++)
                {
                    ClusterNodeProcess entry;
                    lock (random) entry = nodes[random.Next(nodes.Count)];
                    var result = await client.SendAsync(entry.BaseUrl, $"rr-{c}", c, t, StoryWorkload.TurnMessages(c, t), MaxTokens, stream: c % 2 == 0, ct);
                    lock (results) results.Add(result);
                }
            });
            Assert.Equal(conversations * StoryWorkload.Turns, results.Count);
            var shares = new List<double>();
            long recomputed = 0;
            foreach (var turns in results.GroupBy(r => r.Conversation).Select(g => g.OrderBy(r => r.Turn).ToList()))
                for (var i = 1; i < turns.Count; i++)
                {
                    var history = turns[i - 1].PromptTokens + turns[i - 1].CompletionTokens;
                    Assert.NotEqual(turns[i - 1].Node, turns[i].Node);
                    shares.Add(Math.Min(1.0, turns[i].CachedTokens / (double)history));
                    recomputed += Math.Max(0, history - turns[i].CachedTokens);
                }
            output.WriteLine($"round-robin: history from cache on returning turns min {shares.Min():P1}, mean {shares.Average():P1}, {recomputed} history tokens recomputed (affinity: every returning turn >= 95 %, above)");
            Assert.True(shares.Average() < 0.75, $"round-robin served {shares.Average():P1} of the history from cache");
        }
        catch
        {
            foreach (var n in nodes) output.WriteLine($"--- {n.Name} log (tail) ---\n{Tail(n.Log)}");
            throw;
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("Cluster:Provider=Redis;Cluster:ConnectionString=", "Cluster:ConnectionString is required with Cluster:Provider=Redis.")]
    [InlineData("Cluster:Provider=PostgreSQL;Cluster:ConnectionString=", "Cluster:ConnectionString is required with Cluster:Provider=PostgreSQL.")]
    [InlineData("Cluster:SessionStore=PostgreSQL;Cluster:Provider=Localhost;Cluster:ConnectionString=", "Cluster:SessionStoreConnectionString (or Cluster:ConnectionString) is required with Cluster:SessionStore=PostgreSQL.")]
    [InlineData("Cluster:ProbeTimeoutMs=5", "ProbeTimeoutMs")]
    public async Task Serve_cluster_with_a_bad_key_exits_with_one_line_naming_it(string settings, string expected)
    {
        var environment = new Dictionary<string, string>(NodeEnvironment());
        foreach (var setting in settings.Split(';'))
        {
            var (key, value) = (setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
            environment["AGENTHOST_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        await using var node = ClusterNodeProcess.Start("127.0.0.1:1", environment);
        var exit = await node.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, exit); // bad input
        Assert.Contains("agenthost: error:", node.Log);
        Assert.Contains(expected, node.Log);
        Assert.DoesNotContain("   at ", node.Log);
    }

    [Fact]
    public async Task A_conversation_id_sent_to_a_server_that_is_not_a_cluster_node_is_a_400_naming_the_header()
    {
        await using var node = ClusterNodeProcess.Start("", NodeEnvironment(), cluster: false);
        await node.WaitServingAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var error = await Assert.ThrowsAsync<TurnFailedException>(() => new HttpConversationClient(http)
            .SendAsync(node.BaseUrl, "conv-0", 0, 0, StoryWorkload.TurnMessages(0, 0), MaxTokens, stream: false, CancellationToken.None));
        Assert.Contains("HTTP 400", error.Message);
        Assert.Contains("\"param\":\"X-Conversation-Id\"", error.Message);
        Assert.Contains("\"code\":\"cluster_disabled\"", error.Message);
        Assert.Contains("agenthost serve --cluster", error.Message);
    }

    internal static async Task WaitForClusterAsync(HttpConversationClient client, List<ClusterNodeProcess> nodes, CancellationToken cancellationToken)
    {
        // Every node sees three active members and has everyone's summary for placement.
        while (true)
        {
            var views = await Task.WhenAll(nodes.Select(n => client.NodesAsync(n.BaseUrl, cancellationToken)));
            if (views.All(v => v.Members == 3 && v.Summaries == 3)) return;
            await Task.Delay(200, cancellationToken);
        }
    }

    internal static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];
}
