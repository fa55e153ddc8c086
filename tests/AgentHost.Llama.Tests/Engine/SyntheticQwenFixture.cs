using AgentHost.Gguf;
using AgentHost.Llama.Engine;
using AgentHost.Native;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>
/// A tiny random-weight qwen2 model with the real Qwen2 vocabulary (151k tokens, byte-level BPE) and the real
/// Qwen2.5 chat template, written once per test class.
/// </summary>
public sealed class SyntheticQwenFixture : IDisposable
{
    public SyntheticQwenFixture()
    {
        Path = System.IO.Path.Combine(TestAssets.NewTempDir("qwen-tiny"), "qwen2-tiny.gguf");
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 42 }, TestAssets.VocabGguf("qwen2"),
            File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct")), Path);
        Model = LlamaModel.Load(Path, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });
        // Four slots of 1024 tokens: the many-generation tests decode four at a time.
        var options = StoriesModelFixture.Options(parallel: 4, context: 4096);
        options.ModelPath = Path;
        Engine = LlamaEngine.Create(Model, options);
    }

    public string Path { get; }
    public LlamaModel Model { get; }
    public LlamaEngine Engine { get; }

    public void Dispose()
    {
        Engine.Dispose();
        Model.Dispose();
        File.Delete(Path);
    }
}
