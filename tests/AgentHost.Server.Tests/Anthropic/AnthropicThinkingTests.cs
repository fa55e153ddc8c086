using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Tests.Anthropic;

/// <summary>
/// The reasoning contract between /v1/messages and the chat client, with a scripted IChatClient in place of the
/// model (the local model's reasoning output lands separately): <c>thinking</c> becomes ChatOptions.Reasoning plus
/// enable_thinking / thinking_budget_tokens, and TextReasoningContent comes back as thinking blocks and
/// thinking_delta events, before the text.
/// </summary>
public class AnthropicThinkingTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private readonly ScriptedChatClient _client = new();

    public async Task InitializeAsync()
    {
        var settings = TestModels.Stories();
        // Thinking budgets start at 1024 and must be below max_tokens; the scripted client has no context limit.
        settings["Server:MaxTokensLimit"] = "10000";
        _server = await LoopbackServer.StartAsync(settings, services =>
            services.AddKeyedSingleton<IChatClient>(ServerServiceCollectionExtensions.ChatClientServiceKey, _client));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> PostAsync(string body)
    {
        using var http = _server.CreateHttpClient();
        using var response = await http.PostAsync("v1/messages", OpenAiAssert.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    [Fact]
    public async Task EnabledThinkingMapsToReasoningOptionsAndComesBackAsAThinkingBlock()
    {
        var text = await PostAsync("""{"model":"stories260K","max_tokens":9000,"thinking":{"type":"enabled","budget_tokens":8000},"messages":[{"role":"user","content":"2+2?"}]}""");

        var options = _client.LastOptions!;
        Assert.Equal(ReasoningEffort.Medium, options.Reasoning?.Effort);
        Assert.Equal(true, options.AdditionalProperties!["enable_thinking"]);
        Assert.Equal(8000, options.AdditionalProperties!["thinking_budget_tokens"]);
        Assert.Equal(9000, options.MaxOutputTokens);

        using var document = JsonDocument.Parse(text);
        var content = document.RootElement.GetProperty("content");
        Assert.Equal(2, content.GetArrayLength());
        Assert.Equal("thinking", content[0].GetProperty("type").GetString());
        Assert.Equal("Two and two make four.", content[0].GetProperty("thinking").GetString());
        Assert.Equal(JsonValueKind.String, content[0].GetProperty("signature").ValueKind);
        Assert.Equal("text", content[1].GetProperty("type").GetString());
        Assert.Equal("4", content[1].GetProperty("text").GetString());
        Assert.Equal("end_turn", document.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal(7, document.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task DisabledThinkingSetsEnableThinkingFalseAndNoReasoning()
    {
        await PostAsync("""{"model":"stories260K","max_tokens":16,"thinking":{"type":"disabled"},"messages":[{"role":"user","content":"hi"}]}""");
        var options = _client.LastOptions!;
        Assert.Null(options.Reasoning);
        Assert.Equal(false, options.AdditionalProperties!["enable_thinking"]);
        Assert.False(options.AdditionalProperties.ContainsKey("thinking_budget_tokens"));

        await PostAsync("""{"model":"stories260K","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Null(_client.LastOptions!.Reasoning);
        Assert.False(_client.LastOptions.AdditionalProperties?.ContainsKey("enable_thinking") ?? false);
    }

    [Fact]
    public async Task StreamedReasoningIsAThinkingBlockWithThinkingDeltasThenATextBlock()
    {
        var body = await PostAsync("""{"model":"stories260K","max_tokens":2000,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"2+2?"}]}""");
        Assert.Equal(ReasoningEffort.Low, _client.LastOptions!.Reasoning?.Effort);
        var events = AnthropicAssert.Events(body);
        var names = events.Select(e => e.Event).ToList();
        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], names);
        Assert.Equal("thinking", events[1].Data.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal(0, events[1].Data.GetProperty("index").GetInt32());
        Assert.Equal("thinking_delta", events[2].Data.GetProperty("delta").GetProperty("type").GetString());
        Assert.Equal("Two and two ", events[2].Data.GetProperty("delta").GetProperty("thinking").GetString());
        Assert.Equal("make four.", events[3].Data.GetProperty("delta").GetProperty("thinking").GetString());
        Assert.Equal("signature_delta", events[4].Data.GetProperty("delta").GetProperty("type").GetString());
        Assert.Equal("text", events[6].Data.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal(1, events[6].Data.GetProperty("index").GetInt32());
        Assert.Equal("4", events[7].Data.GetProperty("delta").GetProperty("text").GetString());
        var delta = events[9].Data;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(3, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(7, delta.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task AThinkingBlockSentBackIsReasoningContentForTheClient()
    {
        await PostAsync("""{"model":"stories260K","max_tokens":16,"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":[{"type":"thinking","thinking":"simple sum","signature":"sig"},{"type":"text","text":"4"}]},{"role":"user","content":"and 3+3?"}]}""");
        var assistant = Assert.Single(_client.LastMessages!, m => m.Role == ChatRole.Assistant);
        var reasoning = Assert.IsType<TextReasoningContent>(assistant.Contents[0]);
        Assert.Equal("simple sum", reasoning.Text);
        Assert.Equal("sig", reasoning.ProtectedData);
        Assert.Equal("4", Assert.IsType<TextContent>(assistant.Contents[1]).Text);
    }

    /// <summary>Answers every request with reasoning in two pieces, then the text "4", then usage.</summary>
    private sealed class ScriptedChatClient : IChatClient
    {
        public ChatOptions? LastOptions { get; private set; }
        public IReadOnlyList<ChatMessage>? LastMessages { get; private set; }

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var u in GetStreamingResponseAsync(messages, options, cancellationToken)) updates.Add(u);
            return updates.ToChatResponse();
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            LastMessages = messages.ToList();
            LastOptions = options;
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("Two and two ")]) { ResponseId = "r1" };
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("make four.")]) { ResponseId = "r1" };
            yield return new ChatResponseUpdate(ChatRole.Assistant, "4") { ResponseId = "r1" };
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3, TotalTokenCount = 10 })])
            {
                ResponseId = "r1",
                FinishReason = ChatFinishReason.Stop,
            };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
