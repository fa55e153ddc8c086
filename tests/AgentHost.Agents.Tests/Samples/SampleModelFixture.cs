using AgentHost.Agents.Tests.Support;

namespace AgentHost.Agents.Tests.Samples;

/// <summary>The tiny random-weight qwen2 model (Qwen2.5 template, Hermes tool calls) written once for the sample processes, and a scratch folder.</summary>
public sealed class SampleModelFixture : IDisposable
{
    public SampleModelFixture()
    {
        Directory = TestAssets.NewTempDir("samples");
        ModelPath = Path.Combine(Directory, "qwen2-tiny.gguf");
        AgentsFixture.WriteModel(ModelPath);
    }

    public string Directory { get; }
    public string ModelPath { get; }

    /// <summary>A fresh working folder for one process run (no appsettings.json in it: the built-in agents).</summary>
    public string NewWorkDir() => System.IO.Directory.CreateDirectory(Path.Combine(Directory, Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
