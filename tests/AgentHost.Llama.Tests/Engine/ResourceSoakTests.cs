using System.Diagnostics;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using Xunit.Abstractions;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>
/// Load/unload cycles and many requests must not grow resident memory: a leaked model, context, sampler or batch
/// per cycle would add megabytes each time (a 4096-token context alone is ~5 MB of KV cache for stories260K).
/// </summary>
[Collection(nameof(ResourceSoakTests))]
public class ResourceSoakTests(ITestOutputHelper output)
{
    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }

    [Fact]
    public async Task FiftyLoadUnloadCyclesDoNotGrowMemory()
    {
        var options = StoriesModelFixture.Options(context: 4096);
        async Task Cycle()
        {
            using var engine = LlamaEngine.Load(options);
            await engine.CompleteAsync(StoriesModelFixture.Greedy("Once upon a time", 4));
        }
        for (var i = 0; i < 15; i++) await Cycle(); // warm-up: runtime, JIT, allocator arenas (RSS plateaus by ~10)
        var before = Rss();
        for (var i = 0; i < 50; i++)
        {
            await Cycle();
            if (i % 10 == 9) output.WriteLine($"after {i + 1} cycles: {Rss() / 1048576.0:F1} MiB");
        }
        var after = Rss();
        output.WriteLine($"RSS before {before / 1048576.0:F1} MiB, after 50 load/unload cycles {after / 1048576.0:F1} MiB");
        Assert.True(after - before < 32L * 1024 * 1024, $"RSS grew by {(after - before) / 1048576.0:F1} MiB over 50 cycles");
    }

    [Fact]
    public async Task TwoHundredSequentialRequestsDoNotGrowMemory()
    {
        using var model = LlamaModel.Load(TestAssets.Stories260K, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });
        using var engine = LlamaEngine.Create(model, StoriesModelFixture.Options(parallel: 2));
        var prompts = new[] { "Once upon a time", "The little dog", "One day", "Lily and Tom" };
        for (var i = 0; i < 20; i++) await engine.CompleteAsync(StoriesModelFixture.Greedy(prompts[i % 4], 24));
        var before = Rss();
        for (var i = 0; i < 200; i++)
        {
            var sampled = new GenerationRequest { Prompt = prompts[i % 4], MaxTokens = 24, Sampling = new SamplerSettings { Seed = (uint)i } };
            await engine.CompleteAsync(sampled);
        }
        var after = Rss();
        output.WriteLine($"RSS before {before / 1048576.0:F1} MiB, after 200 requests {after / 1048576.0:F1} MiB");
        Assert.True(after - before < 16L * 1024 * 1024, $"RSS grew by {(after - before) / 1048576.0:F1} MiB over 200 requests");
        Assert.Equal(0, engine.BusySlots);
    }
}

/// <summary>Resident memory is process-wide: these run alone, after every parallel test class.</summary>
[CollectionDefinition(nameof(ResourceSoakTests), DisableParallelization = true)]
public sealed class ResourceSoakCollection;
