using System.ClientModel;
using System.Net;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>
/// Chat completions driven by real clients (the OpenAI .NET SDK through MEAI's AsIChatClient, SK's OpenAI
/// connector) and by raw HTTP checking the wire format, streaming and not, against stories260K.
/// </summary>
public class OpenAiSdkChatTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    private static ChatOptions Greedy(int maxTokens) => new() { MaxOutputTokens = maxTokens, Temperature = 0 };

    [Fact]
    public async Task OpenAiSdkNonStreamingGetsTextUsageAndFinishReason()
    {
        var client = RealClients.Chat(Server);
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], Greedy(12));
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(12, response.Usage?.OutputTokenCount);
        Assert.True(response.Usage?.InputTokenCount > 5);
        Assert.Equal(Server.ModelId, response.ModelId);
        Assert.StartsWith("chatcmpl-", response.ResponseId);
    }

    [Fact]
    public async Task OpenAiSdkStreamingGetsTheSameGreedyTextAndUsage()
    {
        var client = RealClients.Chat(Server);
        var messages = new[] { new ChatMessage(ChatRole.User, "Lily went to the park") };
        var whole = await client.GetResponseAsync(messages, Greedy(16));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, Greedy(16))) updates.Add(update);
        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "the text should arrive in several chunks");
        var streamed = updates.ToChatResponse();
        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(ChatFinishReason.Length, streamed.FinishReason);
        // The SDK asks for stream_options.include_usage; the usage chunk reaches MEAI as UsageContent.
        Assert.Equal(16, streamed.Usage?.OutputTokenCount);
        Assert.Equal(whole.Usage?.InputTokenCount, streamed.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task SecondTurnReportsCachedPromptTokensThroughTheSdk()
    {
        var client = RealClients.Chat(Server);
        var history = new List<ChatMessage>
        {
            new(ChatRole.System, "You tell short stories about a girl named Lily and her dog."),
            new(ChatRole.User, "Tell me about Lily and the big red ball in the garden."),
        };
        var first = await client.GetResponseAsync(history, Greedy(24));
        history.AddMessages(first);
        history.Add(new ChatMessage(ChatRole.User, "What happened next?"));
        var second = await client.GetResponseAsync(history, Greedy(8));
        Assert.True(second.Usage?.InputTokenCount > first.Usage?.InputTokenCount);
        // The whole first turn is a prefix of the second prompt and sits in some slot's KV cache.
        Assert.True(second.Usage?.CachedInputTokenCount >= first.Usage?.InputTokenCount,
            $"cached {second.Usage?.CachedInputTokenCount} of {second.Usage?.InputTokenCount}; the first prompt was {first.Usage?.InputTokenCount}");
    }

    [Fact]
    public async Task OpenAiSdkWithAHardCodedModelNameIsServedByTheLoadedModel()
    {
        // Server:StrictModelNames off (the default); its 404 through the SDK is in ModelNameTests.
        var client = RealClients.OpenAi(Server).GetChatClient("gpt-3.5-turbo").AsIChatClient();
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], Greedy(4));
        Assert.Equal(Server.ModelId, response.ModelId);
        Assert.Equal(4, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task SemanticKernelConnectorNonStreamingAndStreaming()
    {
        var kernel = RealClients.Kernel(Server);
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory("You are a storyteller.");
        history.AddUserMessage("Once upon a time");
        var settings = new OpenAIPromptExecutionSettings { MaxTokens = 12, Temperature = 0 };

        var reply = await chat.GetChatMessageContentAsync(history, settings, kernel);
        Assert.False(string.IsNullOrWhiteSpace(reply.Content));
        Assert.Equal(AuthorRole.Assistant, reply.Role);

        var streamed = new System.Text.StringBuilder();
        var parts = 0;
        await foreach (var part in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel))
        {
            streamed.Append(part.Content);
            if (!string.IsNullOrEmpty(part.Content)) parts++;
        }
        Assert.True(parts > 1);
        Assert.Equal(reply.Content, streamed.ToString());
    }

    [Fact]
    public async Task RawNonStreamingResponseIsWellFormed()
    {
        using var http = Server.CreateHttpClient();
        using var response = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Once upon"},{"type":"text","text":" a time"}]}],"max_tokens":10,"temperature":0}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var content = Completion(document.RootElement, Server.ModelId);
        Assert.False(string.IsNullOrEmpty(content));
        Assert.Equal("length", document.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(10, document.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task RawStreamIsWellFormedWithUsageChunkAndMatchesNonStreaming()
    {
        using var http = Server.CreateHttpClient();
        const string messages = """[{"role":"user","content":"The little dog"}]""";
        using var whole = await http.PostAsync("v1/chat/completions", Json($$"""{"messages":{{messages}},"max_tokens":10,"temperature":0}"""));
        using var wholeDoc = JsonDocument.Parse(await whole.Content.ReadAsStringAsync());
        var expected = Completion(wholeDoc.RootElement, Server.ModelId);

        using var response = await http.PostAsync("v1/chat/completions", Json($$$"""{"messages":{{{messages}}},"max_tokens":10,"temperature":0,"stream":true,"stream_options":{"include_usage":true}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString());
        var (content, finish, usage) = Stream(await response.Content.ReadAsStringAsync(), Server.ModelId);
        Assert.Equal(expected, content);
        Assert.Equal("length", finish);
        Assert.NotNull(usage);
        Assert.Equal(10, usage.Value.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(wholeDoc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), usage.Value.GetProperty("prompt_tokens").GetInt32());

        // Without include_usage there is no usage chunk.
        using var plain = await http.PostAsync("v1/chat/completions", Json($$"""{"messages":{{messages}},"max_tokens":10,"temperature":0,"stream":true}"""));
        var (plainContent, _, plainUsage) = Stream(await plain.Content.ReadAsStringAsync(), Server.ModelId);
        Assert.Equal(expected, plainContent);
        Assert.Null(plainUsage);
    }

    [Fact]
    public async Task StopSequenceEndsTheCompletion()
    {
        var client = RealClients.Chat(Server);
        var free = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], Greedy(24));
        // Stop at the second word the model would write: the reply ends before it, with finish reason stop.
        var words = free.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length >= 3, free.Text);
        var stop = " " + words[2];
        var stopped = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], new ChatOptions { MaxOutputTokens = 24, Temperature = 0, StopSequences = [stop] });
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.DoesNotContain(stop, stopped.Text);
        Assert.StartsWith(stopped.Text, free.Text);
    }
}
