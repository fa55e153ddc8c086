using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using AgentHost.Gguf;
using Microsoft.Extensions.AI;
using OpenAI;
using static AgentHost.Llama.Tests.Chat.ReasoningRoundTrip;

namespace AgentHost.Llama.Tests.Cli;

/// <summary>
/// Thinking models behind a real `agenthost serve` process, driven by the OpenAI .NET SDK (through MEAI's adapter,
/// which reads llama-server's <c>reasoning_content</c>) and MEAI's function invocation: reasoning arrives as
/// <see cref="TextReasoningContent"/>, streamed and not, and a tool call round-trips through the HTTP API. The
/// models are random-weight ones with the real Qwen3 and gpt-oss templates; <c>--reasoning-budget</c> closes their
/// thinking, which a random model never would.
/// </summary>
public class ServeReasoningTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static IEnumerable<object[]> Families() =>
    [
        ["Qwen-Qwen3-0.6B", new[] { "<think>", "</think>", "<tool_call>", "</tool_call>" }],
        ["openai-gpt-oss-120b", new[] { "<|channel|>", "<|message|>", "<|end|>", "<|start|>", "to=functions" }],
    ];

    private static string Model(string template)
    {
        var path = Path.Combine(TestAssets.NewTempDir("serve-reasoning"), "model.gguf");
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 11 }, TestAssets.VocabGguf("qwen2"), File.ReadAllText(TestAssets.ChatTemplate(template)), path);
        return path;
    }

    private static ChatOptions Options(OrderDesk desk, int seed) => new()
    {
        Tools = [AIFunctionFactory.Create(desk.LookupOrder, "lookup_order")],
        ToolMode = ChatToolMode.RequireAny,
        AllowMultipleToolCalls = false,
        Temperature = 1, TopP = 1, Seed = seed, MaxOutputTokens = 160,
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Reasoning_and_a_tool_round_trip_over_the_OpenAI_SDK(string template, string[] markers)
    {
        await using var server = await ServeProcess.StartAsync("--model", Model(template), "--ctx", "4096", "--threads", "2", "--think", "--reasoning-budget", "12");
        var sdk = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = server.V1, NetworkTimeout = TimeSpan.FromMinutes(2) });
        using var client = new ChatClientBuilder(sdk.GetChatClient("model").AsIChatClient()).UseFunctionInvocation().Build();

        await RunAsync(client, Options, markers, output.WriteLine);
    }

    [Fact]
    public async Task The_budget_is_settable_per_request_and_bad_values_are_400s()
    {
        await using var server = await ServeProcess.StartAsync("--model", Model("Qwen-Qwen3-0.6B"), "--ctx", "2048", "--threads", "2");
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        const string tools = """[{"type":"function","function":{"name":"lookup_order","parameters":{"type":"object","properties":{"order_id":{"type":"string","enum":["A1001","B2002"]}},"required":["order_id"]}}}]""";
        // A budget of 0 closes thinking at once: whatever the seed, no reasoning text, and the call still comes.
        for (var seed = 1; seed <= 4; seed++)
        {
            using var response = await http.PostAsync("v1/chat/completions", new StringContent($$"""
                {"messages":[{"role":"user","content":"Where is my order?"}],"tools":{{tools}},"tool_choice":"required","parallel_tool_calls":false,
                 "max_tokens":120,"seed":{{seed}},"temperature":1,"chat_template_kwargs":{"enable_thinking":true},"thinking_budget_tokens":0}
                """, Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            var message = JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message");
            Assert.True(!message.TryGetProperty("reasoning_content", out var r) || r.ValueKind == JsonValueKind.Null || r.GetString() == "", body);
            Assert.Equal("lookup_order", message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        }

        using var bad = await http.PostAsync("v1/chat/completions", new StringContent("""
            {"messages":[{"role":"user","content":"hi"}],"reasoning_budget_tokens":-5}
            """, Encoding.UTF8, "application/json"));
        var error = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("reasoning_budget_tokens", error);

        // --reasoning-budget out of range: a one-line error and exit code 2.
        var r2 = await AgentHostProcess.RunAsync("serve", "--model", TestAssets.Stories260K, "--reasoning-budget", "-7", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("--reasoning-budget", r2.Stderr);
        Assert.DoesNotContain("   at ", r2.Stderr);
    }
}
