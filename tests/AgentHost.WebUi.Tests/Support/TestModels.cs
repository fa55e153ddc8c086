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

    /// <summary>
    /// Test agents on the synthetic Qwen model (its grammar makes a forced call well-formed; the token caps keep
    /// each response short, yet a forced call needs more than 40 of them): <c>storyteller</c> (no tools, streams text), <c>weather</c> (a read-only
    /// kernel tool, required tool choice) and <c>refunds</c> (a tool declared ApprovalRequired, required tool choice).
    /// </summary>
    public static Dictionary<string, string?> QwenWithAgents()
    {
        var settings = Qwen();
        settings["Agents:storyteller:Description"] = "Tells short stories.";
        settings["Agents:storyteller:Instructions"] = "You tell short stories.";
        settings["Agents:storyteller:MaxTokens"] = "40";
        // At temperature 0 the random weights' top token is a newline, again and again: sampled (seeded), they write.
        settings["Agents:storyteller:Temperature"] = "1";
        settings["Agents:storyteller:Seed"] = "7";
        settings["Agents:weather:Description"] = "Reports the weather.";
        settings["Agents:weather:Instructions"] = "You report the weather. Call GetWeather.";
        settings["Agents:weather:Tools:0"] = "Weather";
        settings["Agents:weather:ToolChoice"] = "required";
        settings["Agents:weather:MaxTokens"] = "64";
        settings["Agents:weather:Temperature"] = "0";
        settings["Agents:refunds:Description"] = "Issues refunds, each one approved by a person.";
        settings["Agents:refunds:Instructions"] = "You issue refunds.";
        settings["Agents:refunds:Tools:0"] = "Ledger.IssueRefund";
        settings["Agents:refunds:ApprovalRequired:0"] = "Ledger.IssueRefund";
        settings["Agents:refunds:ToolChoice"] = "required";
        // Room for one whole call (greedy, with the agent's instructions in the prompt), not for a second one in
        // parallel: the approval test answers one request at a time. 64 cut the call off (dropped, no approval).
        settings["Agents:refunds:MaxTokens"] = "100";
        settings["Agents:refunds:Temperature"] = "0";
        return settings;
    }
}
