using System.Diagnostics;
using AgentHost.Llama.Benchmarking;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using AgentHost.Native;

namespace AgentHost.Cluster.Simulator;

/// <summary>Measures a node's costs on a real model: pp and tg with <see cref="LlamaBench"/> (what <c>agenthost bench</c> runs), and generation with every slot busy.</summary>
public static class NodeCostMeasurement
{
    public static async Task<NodeCosts> MeasureAsync(string modelPath, int slots, int threads, long kvCacheTokens)
    {
        var options = new LlamaOptions { ModelPath = modelPath, Parallel = slots, ContextSize = 1024, Threads = threads, GpuLayers = 0, Backend = LlamaBackendKind.Cpu };
        using var engine = LlamaEngine.Load(options);
        var bench = await LlamaBench.Run(engine, promptTokens: 512, genTokens: 128, repetitions: 3);
        // Batched tg: all slots generating at once, from distinct one-token prompts (no shared cache).
        const int tokens = 128;
        var requests = Enumerable.Range(0, slots).Select(i => new GenerationRequest
        {
            PromptTokens = [1 + i],
            MaxTokens = tokens,
            IgnoreEndOfGeneration = true,
            Sampling = new SamplerSettings { Temperature = 0 },
        }).ToList();
        await Task.WhenAll(requests.Select(r => engine.CompleteAsync(r))); // warm-up
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(requests.Select(r => engine.CompleteAsync(r with { PromptTokens = [100 + r.PromptTokens![0]] })));
        var batched = slots * tokens / sw.Elapsed.TotalSeconds;
        return new NodeCosts
        {
            PromptTokensPerSecond = bench.PromptProcessing.MeanTokensPerSecond,
            GenerationTokensPerSecond = bench.Generation.MeanTokensPerSecond,
            BatchedGenerationTokensPerSecond = batched,
            Slots = slots,
            KvCacheTokens = kvCacheTokens,
        };
    }
}
