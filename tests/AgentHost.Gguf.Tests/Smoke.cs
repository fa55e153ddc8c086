namespace AgentHost.Gguf.Tests;
public class Smoke { [Fact] public void AssetsFound() => Assert.True(File.Exists(AgentHost.Tests.TestAssets.VocabGguf("qwen2"))); }
