using System.Text.Json;
using AgentHost.Gguf;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Tests.Engine;
using AgentHost.Native;
using Microsoft.Extensions.AI;
using NJsonSchema;

namespace AgentHost.Llama.Tests.Chat;

/// <summary>
/// Random-weight models with the real vocabularies and chat templates of current families: under required tool
/// choice every reply is a call in the family's own syntax that parses and validates against the function's schema
/// (NJsonSchema, independent of our grammar); in auto mode no call or thinking marker ever reaches the content.
/// gpt-oss's o200k vocabulary is not in the bundle: its template runs over the qwen2 vocabulary.
/// </summary>
public class FamilyToolCallingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly int RequiredRuns = int.TryParse(Environment.GetEnvironmentVariable("FAMILY_RUNS"), out var n) ? n : 50;

    private const string OrderSchema = """
        {"type":"object","properties":{"order_id":{"type":"string","pattern":"^ORD-[0-9]{4}$"},"urgent":{"type":"boolean"},"tags":{"type":"array","items":{"type":"string","enum":["damage","退款","late"]},"maxItems":2}},"required":["order_id","urgent"]}
        """;

    public static IEnumerable<object[]> Families() =>
    [
        ["Qwen-Qwen3-0.6B", "qwen2", "hermes", new[] { "<tool_call>", "</tool_call>", "<think>", "</think>" }],
        ["Qwen3.5-4B", "qwen35", "qwen3-coder", new[] { "<tool_call>", "<function=", "<parameter=", "<think>", "</think>" }],
        ["openai-gpt-oss-120b", "qwen2", "gpt-oss", new[] { "<|channel|>", "<|message|>", "to=functions", "<|end|>" }],
        ["google-gemma-4-31B-it", "gemma-4", "gemma-4", new[] { "<|tool_call>", "<tool_call|>", "call:" }],
    ];

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Required_calls_always_parse_and_validate_and_auto_never_leaks_markers(string template, string vocab, string family, string[] markers)
    {
        var dir = TestAssets.NewTempDir("family-" + vocab);
        var path = Path.Combine(dir, "model.gguf");
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 7 }, TestAssets.VocabGguf(vocab), File.ReadAllText(TestAssets.ChatTemplate(template)), path);
        using var model = LlamaModel.Load(path, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });
        // Four slots decoding together, their grammars sampled in parallel: the 50 generations are independent.
        var options = StoriesModelFixture.Options(parallel: 4, context: 4096);
        options.ModelPath = path;
        using var engine = LlamaEngine.Create(model, options);
        var client = new LlamaChatClient(engine, ChatPromptFormatterFactory.Create(model, null));
        Assert.Equal(family, client.ChatFormat?.Name);

        var tool = AIFunctionFactory.CreateDeclaration("lookup_order", "Looks up an order", JsonDocument.Parse(OrderSchema).RootElement);
        var validator = await JsonSchema.FromJsonAsync(OrderSchema);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var runs = await Task.WhenAll(Enumerable.Range(0, RequiredRuns).Select(async seed =>
        {
            var chat = new ChatOptions
            {
                Tools = [tool], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false,
                // Room to close: a random model writes 50-190 tokens of (bounded) whitespace and values per call.
                Temperature = 1, TopK = 0, TopP = 1, Seed = seed, MaxOutputTokens = 400,
                AdditionalProperties = new() { ["enable_thinking"] = false },
            };
            return (Seed: seed, Response: await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")], chat));
        }));
        var tokens = runs.Sum(r => r.Response.Usage?.OutputTokenCount ?? 0);
        output.WriteLine($"{RequiredRuns} required generations: {tokens} tokens in {clock.ElapsedMilliseconds} ms ({clock.Elapsed.TotalMilliseconds / Math.Max(1, tokens):F1} ms/token, 4 slots)");
        foreach (var (seed, response) in runs)
        {
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            Assert.True(calls.Count == 1, $"{template} seed {seed}: {calls.Count} calls, finish {response.FinishReason}, text: {response.Text}");
            var call = calls[0];
            Assert.Null(call.Exception);
            var json = JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions);
            var errors = validator.Validate(json);
            Assert.True(errors.Count == 0, $"{template} seed {seed}: lookup_order({json}) fails its schema: {string.Join("; ", errors)}");
        }

        for (var seed = 0; seed < 5; seed++)
        {
            var chat = new ChatOptions { Tools = [tool], Temperature = 1, TopK = 0, TopP = 1, Seed = 100 + seed, MaxOutputTokens = 48 };
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var updates = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hello")], chat).ToListAsync();
            output.WriteLine($"auto seed {seed}: {sw.ElapsedMilliseconds} ms");
            var text = string.Concat(updates.Select(u => u.Text));
            foreach (var marker in markers) Assert.DoesNotContain(marker, text);
        }
    }
}
