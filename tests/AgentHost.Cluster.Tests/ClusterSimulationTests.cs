using AgentHost.Cluster.Simulator;

namespace AgentHost.Cluster.Tests;

/// <summary>Invariants of the capacity simulation (docs/scale-out.md): no figures asserted, only what must hold.</summary>
public sealed class ClusterSimulationTests
{
    private static readonly NodeCosts Costs = new() { PromptTokensPerSecond = 2000, GenerationTokensPerSecond = 100, BatchedGenerationTokensPerSecond = 300, Slots = 4, KvCacheTokens = 32 * 1024 };
    private static readonly Workload Work = new() { ConversationsPerNode = 20, Turns = 5, SystemTokens = 100, UserTokens = 30, ReplyTokens = 40, ThinkSeconds = 5, ArrivalsPerNodePerSecond = 0.5 };

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(50)]
    public void Tokens_are_conserved_and_affinity_never_recomputes_more_than_round_robin(int nodes)
    {
        var affinity = ClusterSimulation.Run(nodes, Costs, Work, SimulatedRouting.Affinity);
        var roundRobin = ClusterSimulation.Run(nodes, Costs, Work, SimulatedRouting.RoundRobin);
        foreach (var r in new[] { affinity, roundRobin })
        {
            Assert.Equal((long)nodes * Work.ConversationsPerNode * Work.Turns, r.Turns);
            Assert.Equal(r.PromptTokens, r.CachedTokens + r.RecomputedTokens);
            Assert.Equal(r.Turns * Work.ReplyTokens, r.GeneratedTokens);
            // Every turn's prompt is its history plus the new user message, whatever the routing.
            var expected = (long)nodes * Work.ConversationsPerNode * Enumerable.Range(0, Work.Turns).Sum(t => ClusterSimulation.History(Work, t) + Work.UserTokens);
            Assert.Equal(expected, r.PromptTokens);
            Assert.True(r.TtftP50 > 0 && r.TtftP99 >= r.TtftP50);
        }
        Assert.True(affinity.RecomputedTokens <= roundRobin.RecomputedTokens, $"affinity {affinity.RecomputedTokens} > round-robin {roundRobin.RecomputedTokens}");
        if (nodes == 1) Assert.Equal(affinity.RecomputedTokens, roundRobin.RecomputedTokens); // one node: routing cannot matter
        else Assert.True(affinity.RecomputedHistoryTokens < roundRobin.RecomputedHistoryTokens);
    }

    [Fact]
    public void A_cache_too_small_for_one_history_makes_affinity_recompute_everything_but_the_system_prompt()
    {
        var tiny = Costs with { KvCacheTokens = 10 };
        var r = ClusterSimulation.Run(3, tiny, Work, SimulatedRouting.Affinity);
        // Nothing is kept between turns, so only the shared system prompt (kept as a flag, not tokens) is reused.
        Assert.Equal(r.Turns * Work.SystemTokens - 3 * Work.SystemTokens, r.CachedTokens);
    }

    [Fact]
    public void Batch_steps_interpolate_between_batch_one_and_full_batch()
    {
        Assert.Equal(1 / 100.0, Costs.StepSeconds(1), 9);
        Assert.Equal(4 / 300.0, Costs.StepSeconds(4), 9);
        Assert.True(Costs.StepSeconds(2) > Costs.StepSeconds(1) && Costs.StepSeconds(2) < Costs.StepSeconds(4));
    }
}
