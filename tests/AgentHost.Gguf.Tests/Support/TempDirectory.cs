using AgentHost.Tests;

namespace AgentHost.Gguf.Tests.Support;

/// <summary>A scratch folder (from <see cref="TestAssets.NewTempDir"/>) removed when the test ends, since model files are large.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix) => Path = TestAssets.NewTempDir(prefix);

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover scratch folder must not fail the test
        }
    }
}
