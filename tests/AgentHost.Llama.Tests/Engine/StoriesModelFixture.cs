using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using AgentHost.Native;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>stories260K loaded once per test class, with a 4-slot engine over it.</summary>
public sealed class StoriesModelFixture : IDisposable
{
    public StoriesModelFixture()
    {
        Model = LlamaModel.Load(TestAssets.Stories260K, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });
        Engine = LlamaEngine.Create(Model, Options(parallel: 4));
    }

    public LlamaModel Model { get; }
    public LlamaEngine Engine { get; }

    public static LlamaOptions Options(int parallel = 1, int context = 512) => new()
    {
        ModelPath = TestAssets.Stories260K,
        ContextSize = context,
        Parallel = parallel,
        Threads = 2,
        GpuLayers = 0,
        Backend = LlamaBackendKind.Cpu,
    };

    public static GenerationRequest Greedy(string prompt, int maxTokens) => new()
    {
        Prompt = prompt,
        MaxTokens = maxTokens,
        Sampling = new SamplerSettings { Temperature = 0 },
    };

    public void Dispose()
    {
        Engine.Dispose();
        Model.Dispose();
    }
}
