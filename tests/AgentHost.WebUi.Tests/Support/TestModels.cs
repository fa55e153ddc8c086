using System.Globalization;
using AgentHost.Gguf;

namespace AgentHost.WebUi.Tests.Support;

/// <summary>The models the web UI is tested on, and their settings.</summary>
public static class TestModels
{
    /// <summary>stories260K with the chatml template: coherent text, fast.</summary>
    public static Dictionary<string, string?> Stories() => new()
    {
        ["Llama:ModelPath"] = TestAssets.Stories260K,
        ["Llama:Backend"] = "Cpu",
        ["Llama:GpuLayers"] = "0",
        ["Llama:ContextSize"] = "1024",
        ["Llama:Parallel"] = "2",
        ["Llama:Threads"] = "2",
        ["Llama:ChatTemplate"] = "chatml",
        ["Llama:Defaults:Temperature"] = "0",
        ["Llama:Defaults:MaxTokens"] = "32",
    };

    /// <summary>
    /// A tiny random-weight qwen2 with the real Qwen2 vocabulary and the Qwen2.5 chat template (tools, tool results):
    /// its tool calls come from the grammar, so they are well-formed; it hardly ever samples end-of-text, so a long
    /// reply runs until stopped.
    /// </summary>
    public static Dictionary<string, string?> Qwen()
    {
        var path = Path.Combine(TestAssets.NewTempDir("webui-qwen"), "qwen2-tiny.gguf");
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 42 }, TestAssets.VocabGguf("qwen2"),
            File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct")), path);
        return new()
        {
            ["Llama:ModelPath"] = path,
            ["Llama:ModelId"] = "qwen2-tiny",
            ["Llama:Backend"] = "Cpu",
            ["Llama:GpuLayers"] = "0",
            ["Llama:ContextSize"] = 2048.ToString(CultureInfo.InvariantCulture),
            ["Llama:Parallel"] = "1",
            ["Llama:Threads"] = "2",
            ["Llama:Defaults:MaxTokens"] = "64",
        };
    }
}
