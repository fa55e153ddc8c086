using AgentHost.Cluster.Options;
using AgentHost.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace AgentHost.Cluster.Tests;

/// <summary>Three silos, each with its own engine on stories260K, conversation history in a real Redis.</summary>
public sealed class ConversationClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Affinity_keeps_each_conversations_history_in_its_nodes_cache_round_robin_does_not_and_replies_equal_a_single_node()
    {
        using var redis = RedisServer.Start();
        await using var cluster = await StoryCluster.StartAsync(3, redis.ConnectionString);

        var (affinity, affinityRetries) = await cluster.RunWorkloadAsync("aff", ClusterRouting.Affinity);
        var (roundRobin, rrRetries) = await cluster.RunWorkloadAsync("rr", ClusterRouting.RoundRobin);
        Assert.Equal(0, affinityRetries + rrRetries);
        Assert.Equal(StoryWorkload.Conversations * StoryWorkload.Turns, affinity.Count);
        Assert.Equal(StoryWorkload.Conversations * StoryWorkload.Turns, roundRobin.Count);

        var aff = StoryCluster.CacheShare(affinity);
        var rr = StoryCluster.CacheShare(roundRobin);
        output.WriteLine($"history from cache on returning turns: affinity min {aff.Min:P1} mean {aff.Mean:P1}, {aff.Recomputed} history tokens recomputed; round-robin min {rr.Min:P1} mean {rr.Mean:P1}, {rr.Recomputed} recomputed");
        var perNode = affinity.Where(r => r.Turn == 0).GroupBy(r => r.Node).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("new conversations per node (affinity): " + string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}")));

        // Affinity: every turn of a conversation on one node, and its history from that node's cache.
        Assert.All(affinity.GroupBy(r => r.Conversation), g => Assert.Single(g.Select(r => r.Node).Distinct()));
        Assert.True(aff.Min >= 0.95, $"affinity: a returning turn had only {aff.Min:P1} of its history from cache");
        // Least-loaded placement spreads new conversations over all three nodes.
        Assert.Equal(3, perNode.Count);
        // Round-robin: every turn on another node than the one before, and much of the history evaluated again.
        Assert.All(roundRobin.GroupBy(r => r.Conversation), g =>
        {
            var nodes = g.OrderBy(r => r.Turn).Select(r => r.Node).ToList();
            for (var i = 1; i < nodes.Count; i++) Assert.NotEqual(nodes[i - 1], nodes[i]);
        });
        Assert.True(rr.Mean < aff.Mean - 0.2, $"round-robin served {rr.Mean:P1} of history from cache, affinity {aff.Mean:P1}");
        Assert.True(rr.Recomputed > 10 * Math.Max(1, aff.Recomputed), $"round-robin recomputed {rr.Recomputed} history tokens, affinity {aff.Recomputed}");

        // Greedy replies are the same as one node answering the conversations one after another.
        var single = await StoryCluster.SingleNodeRepliesAsync();
        Assert.Contains(single.Values, v => v.Length > 0);
        var agreeAffinity = StoryCluster.Agreement(affinity, single, output.WriteLine);
        var agreeRoundRobin = StoryCluster.Agreement(roundRobin, single, output.WriteLine);
        output.WriteLine($"greedy replies equal to a single node's: affinity {agreeAffinity:P1}, round-robin {agreeRoundRobin:P1}");
        Assert.True(agreeAffinity >= 0.9 && agreeRoundRobin >= 0.9, $"greedy agreement with a single node: affinity {agreeAffinity:P1}, round-robin {agreeRoundRobin:P1}");
    }

    [Fact]
    public async Task A_silo_killed_mid_run_its_conversations_continue_on_the_others_with_every_stored_turn_kept()
    {
        using var redis = RedisServer.Start();
        await using var cluster = await StoryCluster.StartAsync(3, redis.ConnectionString);
        var primary = cluster.Cluster.Silos[0].Name; // holds the test membership table: not the one to kill
        string? victimName = null;
        Task? kill = null;
        var (results, retries) = await cluster.RunWorkloadAsync("kill", ClusterRouting.Affinity, maxRetries: 20, afterTurn: (done, result) =>
        {
            // Under load (a third of the turns done, the rest in flight or to come): kill the node that just
            // answered a conversation with turns still to come.
            lock (cluster)
            {
                if (kill is null && done >= 50 && result.Node != primary && result.Turn < StoryWorkload.Turns - 1)
                {
                    victimName = result.Node;
                    kill = cluster.KillAsync(result.Node);
                }
            }
            return Task.CompletedTask;
        });
        Assert.NotNull(kill);
        await kill!;
        output.WriteLine($"killed {victimName} after 50 turns; {retries} turns retried");
        Assert.NotNull(victimName);

        Assert.Equal(StoryWorkload.Conversations * StoryWorkload.Turns, results.Count);
        foreach (var g in results.GroupBy(r => r.Conversation).OrderBy(g => g.Key))
            output.WriteLine($"conversation {g.Key}: " + string.Join(" ", g.OrderBy(r => r.Turn).Select(r => r.Node)));
        // Conversations the victim held when it died went on elsewhere, and never back to it.
        var moved = results.GroupBy(r => r.Conversation)
            .Where(g => g.Any(r => r.Node == victimName) && g.Any(r => r.Node != victimName)).ToList();
        Assert.NotEmpty(moved);
        Assert.All(moved, g =>
        {
            var nodes = g.OrderBy(r => r.Turn).Select(r => r.Node).ToList();
            var left = nodes.FindIndex(n => n != victimName);
            Assert.All(nodes.Take(left), n => Assert.Equal(victimName, n));
            Assert.All(nodes.Skip(left), n => Assert.NotEqual(victimName, n));
        });
        output.WriteLine($"{moved.Count} conversations were on {victimName} and continued on the other nodes");

        // Every turn the client saw answered is in the store, once, in order, with the reply it saw.
        var client = cluster.Entry(0);
        foreach (var g in results.GroupBy(r => r.Conversation))
        {
            var history = await client.Conversation($"kill-{g.Key}").GetHistoryAsync();
            var expected = new List<(string, string)>();
            foreach (var r in g.OrderBy(r => r.Turn))
            {
                expected.AddRange(StoryWorkload.TurnMessages(r.Conversation, r.Turn).Select(m => (m.Role, m.Content)));
                expected.Add(("assistant", r.Reply));
            }
            Assert.Equal(expected, history.Select(m => (m.Role, m.Content)).ToList());
        }

        // Recomputed on another node, greedy replies are still the single node's.
        var single = await StoryCluster.SingleNodeRepliesAsync();
        var agree = StoryCluster.Agreement(results, single, output.WriteLine);
        output.WriteLine($"greedy replies equal to a single node's: {agree:P1}");
        Assert.True(agree >= 0.9, $"greedy agreement with a single node: {agree:P1}");
    }
}
