using AgentHost.Gguf;

namespace AgentHost.Server.Tests.Support;

/// <summary>The models the servers load, and their settings.</summary>
public static class TestModels
{
    private static readonly Lazy<string> SyntheticQwen = new(() =>
    {
        // A tiny random-weight qwen2 with the real Qwen2 vocabulary and the real Qwen2.5 chat template (which renders
        // tools and tool results): tool calls come from the grammar, so they are well-formed whatever the weights say.
        var path = Path.Combine(TestAssets.NewTempDir("server-qwen"), "qwen2-tiny.gguf");
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 42 }, TestAssets.VocabGguf("qwen2"),
            File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct")), path);
        return path;
    });

    public const string ApiKey = "sk-agenthost-test";

    /// <summary>stories260K with the chatml template: fast enough for hundreds of requests.</summary>
    public static Dictionary<string, string?> Stories(int parallel = 4, int context = 256, int queueLimit = 256) => new()
    {
        ["Llama:ModelPath"] = TestAssets.Stories260K,
        ["Llama:Backend"] = "Cpu",
        ["Llama:GpuLayers"] = "0",
        ["Llama:ContextSize"] = context.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Llama:Parallel"] = parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Llama:QueueLimit"] = queueLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Llama:BatchSize"] = "512",
        ["Llama:Threads"] = "2",
        ["Llama:ChatTemplate"] = "chatml",
        ["Llama:Defaults:Temperature"] = "0",
        ["Llama:Defaults:MaxTokens"] = "32",
        ["Server:ApiKey"] = ApiKey,
    };

    public static Dictionary<string, string?> Qwen(int parallel = 2, int context = 2048) => new()
    {
        ["Llama:ModelPath"] = SyntheticQwen.Value,
        ["Llama:ModelId"] = "qwen2-tiny",
        ["Llama:Backend"] = "Cpu",
        ["Llama:GpuLayers"] = "0",
        ["Llama:ContextSize"] = context.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Llama:Parallel"] = parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Llama:BatchSize"] = "512",
        ["Llama:Threads"] = "2",
        ["Llama:Defaults:MaxTokens"] = "64",
        ["Server:ApiKey"] = ApiKey,
    };
}
