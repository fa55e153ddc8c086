namespace AgentHost.Cluster.Simulator;

/// <summary>What one node costs, as measured by <c>LlamaBench</c> (what <c>agenthost bench</c> runs) and a batched run.</summary>
public sealed record NodeCosts
{
    /// <summary>Prompt tokens evaluated per second (pp).</summary>
    public double PromptTokensPerSecond { get; init; } = 20000;
    /// <summary>Tokens generated per second by one sequence (tg, batch 1).</summary>
    public double GenerationTokensPerSecond { get; init; } = 500;
    /// <summary>Tokens generated per second by all <see cref="Slots"/> sequences together (batched tg).</summary>
    public double BatchedGenerationTokensPerSecond { get; init; } = 1500;
    /// <summary>Sequences decoded together.</summary>
    public int Slots { get; init; } = 4;
    /// <summary>Tokens of KV state the node keeps (its slots plus its prompt cache); least recently used goes first.</summary>
    public long KvCacheTokens { get; init; } = 64 * 1024;

    /// <summary>Seconds of one decode step with <paramref name="active"/> sequences: linear between batch 1 and batch <see cref="Slots"/>.</summary>
    public double StepSeconds(int active)
    {
        var one = 1 / GenerationTokensPerSecond;
        if (Slots <= 1) return one;
        var full = Slots / BatchedGenerationTokensPerSecond;
        return one + (Math.Clamp(active, 1, Slots) - 1) * (full - one) / (Slots - 1);
    }
}

/// <summary>The conversations: each opens with a shared system prompt, then user turns and replies with think time between.</summary>
public sealed record Workload
{
    public int ConversationsPerNode { get; init; } = 40;
    public int Turns { get; init; } = 5;
    public int SystemTokens { get; init; } = 200;
    public int UserTokens { get; init; } = 40;
    public int ReplyTokens { get; init; } = 60;
    /// <summary>Mean think time between a reply and the next user turn (exponential).</summary>
    public double ThinkSeconds { get; init; } = 10;
    /// <summary>New conversations per node per second (Poisson).</summary>
    public double ArrivalsPerNodePerSecond { get; init; } = 0.5;
}

public enum SimulatedRouting { Affinity, RoundRobin }
