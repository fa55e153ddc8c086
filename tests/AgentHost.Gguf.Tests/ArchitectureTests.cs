using System.Text.RegularExpressions;
using AgentHost.Tests;

namespace AgentHost.Gguf.Tests;

/// <summary><see cref="GgufArchitectures"/> agrees with LLM_ARCH_NAMES in the llama.cpp v0.5.0 source.</summary>
public sealed partial class ArchitectureTests
{
    [Fact]
    public void Every_architecture_in_llama_arch_cpp_is_supported_and_nothing_else()
    {
        var source = File.ReadAllText(Path.Combine(TestAssets.LlamaSource, "src", "llama-arch.cpp"));
        var table = source[source.IndexOf("LLM_ARCH_NAMES", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("};", StringComparison.Ordinal)];
        var names = ArchEntry().Matches(table)
            .Where(m => m.Groups[1].Value is not ("LLM_ARCH_CLIP" or "LLM_ARCH_UNKNOWN"))
            .Select(m => m.Groups[2].Value)
            .ToList();

        Assert.True(names.Count > 100, $"parsed only {names.Count} names");
        Assert.All(names, name => Assert.True(GgufArchitectures.IsSupported(name), name));
        Assert.Equal(names.Order(), GgufArchitectures.All.Order());
    }

    [Theory]
    [InlineData("llama", true)]
    [InlineData("qwen2", true)]
    [InlineData("gemma3", true)]
    [InlineData("gpt-oss", true)]
    [InlineData("LLAMA", false)]
    [InlineData("clip", false)]
    [InlineData("(unknown)", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsSupported_is_exact(string? name, bool supported) => Assert.Equal(supported, GgufArchitectures.IsSupported(name));

    [GeneratedRegex("""\{\s*(LLM_ARCH_\w+)\s*,\s*"([^"]+)"\s*\}""")]
    private static partial Regex ArchEntry();
}
