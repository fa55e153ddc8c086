using AgentHost.Gguf;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Tests.Engine;
using AgentHost.Native;
using Microsoft.Extensions.AI;
using static AgentHost.Llama.Tests.Chat.ReasoningRoundTrip;

namespace AgentHost.Llama.Tests.Chat;

/// <summary>
/// Thinking models end to end through MEAI's own function-invocation middleware: random-weight models with the real
/// Qwen3 and gpt-oss templates think (bounded by the reasoning budget, which closes the block for them: a random
/// model never would), call a real .NET function in their family's syntax, get its result back through the
/// template, and answer. Reasoning arrives as <see cref="TextReasoningContent"/>, streamed as it is generated.
/// </summary>
public class ReasoningRoundTripTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Budget = 12;

    public static IEnumerable<object[]> Families() =>
    [
        ["Qwen-Qwen3-0.6B", "hermes", new[] { "<think>", "</think>", "<tool_call>", "</tool_call>" }],
        ["openai-gpt-oss-120b", "gpt-oss", new[] { "<|channel|>", "<|message|>", "<|end|>", "<|start|>", "to=functions" }],
    ];

    private static ChatOptions Options(OrderDesk desk, int seed) => new()
    {
        Tools = [AIFunctionFactory.Create(desk.LookupOrder, "lookup_order")],
        ToolMode = ChatToolMode.RequireAny,
        AllowMultipleToolCalls = false,
        Temperature = 1, TopK = 0, TopP = 1, Seed = seed, MaxOutputTokens = 160,
        AdditionalProperties = new() { [ChatReasoning.EnableThinkingKey] = true, [ChatReasoning.ThinkingBudgetKey] = Budget },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Thinking_then_a_call_round_trips_through_UseFunctionInvocation(string template, string family, string[] markers)
    {
        var path = Path.Combine(TestAssets.NewTempDir("reasoning-" + template), "model.gguf");
        // gpt-oss's o200k vocabulary is not in the bundle: both templates run over the qwen2 vocabulary.
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 11 }, TestAssets.VocabGguf("qwen2"), File.ReadAllText(TestAssets.ChatTemplate(template)), path);
        using var model = LlamaModel.Load(path, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });
        var options = StoriesModelFixture.Options(parallel: 1, context: 4096);
        options.ModelPath = path;
        using var engine = LlamaEngine.Create(model, options);
        var llama = new LlamaChatClient(engine, ChatPromptFormatterFactory.Create(model, null));
        Assert.Equal(family, llama.ChatFormat?.Name);
        using var client = new ChatClientBuilder(llama).UseFunctionInvocation().Build();

        await RunAsync(client, Options, markers, output.WriteLine);
    }
}
