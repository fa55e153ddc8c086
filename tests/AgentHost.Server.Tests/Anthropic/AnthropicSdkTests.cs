using System.Text.Json;
using AgentHost.Server.Tests.Support;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using AiFunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using AiFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using AiTextContent = Microsoft.Extensions.AI.TextContent;

namespace AgentHost.Server.Tests.Anthropic;

/// <summary>
/// The official Anthropic .NET SDK (and its MEAI adapter) against /v1/messages on loopback: non-streaming and
/// streaming answers agree under greedy decoding, tool_use → tool_result round trips, count_tokens equals the usage
/// the same request reports, and a missing key is a 401 the SDK understands.
/// </summary>
public class AnthropicSdkTests(AnthropicServerFixture fixture) : IClassFixture<AnthropicServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    private AnthropicClient Client(string? apiKey = TestModels.ApiKey) => new(new ClientOptions
    {
        BaseUrl = Server.BaseAddress.ToString().TrimEnd('/'),
        ApiKey = apiKey,
        MaxRetries = 0,
        Timeout = TimeSpan.FromMinutes(2),
    });

    private static readonly Dictionary<string, JsonElement> WeatherProperties = new()
    {
        ["city"] = JsonSerializer.SerializeToElement(new { type = "string", @enum = new[] { "Paris", "Tokyo", "Lima" } }),
        ["unit"] = JsonSerializer.SerializeToElement(new { type = "string", @enum = new[] { "celsius", "fahrenheit" } }),
    };

    private static Tool WeatherTool() => new()
    {
        Name = "get_weather",
        Description = "Current weather of a city",
        InputSchema = new InputSchema { Properties = WeatherProperties, Required = ["city", "unit"] },
    };

    private MessageCreateParams Greedy(string user, int maxTokens = 24) => new()
    {
        Model = Server.ModelId,
        MaxTokens = maxTokens,
        System = "You are a terse assistant.",
        Messages = [new UserMessageParam(user)],
    };

    [Fact]
    public async Task NonStreamingMessageHasTextStopReasonAndUsageEqualToCountTokens()
    {
        var client = Client();
        var parameters = Greedy("Tell me about the sea.");
        var message = await client.Messages.Create(parameters);

        Assert.StartsWith("msg_", message.ID);
        Assert.Equal(Server.ModelId, message.Model.Raw());
        var text = string.Concat(message.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""));
        Assert.NotEmpty(text);
        Assert.Contains(message.StopReason?.Raw(), new[] { "end_turn", "max_tokens" });
        Assert.InRange(message.Usage.OutputTokens, 1, 24);

        var count = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = Server.ModelId,
            System = "You are a terse assistant.",
            Messages = [new UserMessageParam("Tell me about the sea.")],
        });
        Assert.True(count.InputTokens > 10);
        Assert.Equal(count.InputTokens, message.Usage.InputTokens);
    }

    [Fact]
    public async Task StreamingEventsCarryTheSameTextAsTheNonStreamedMessage()
    {
        var client = Client();
        var expected = await client.Messages.Create(Greedy("Write a line about the moon."));
        var expectedText = string.Concat(expected.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""));

        var kinds = new List<string>();
        var text = new System.Text.StringBuilder();
        long? startInput = null, deltaOutput = null;
        string? stopReason = null;
        await foreach (var e in client.Messages.CreateStreaming(Greedy("Write a line about the moon.")))
        {
            if (e.TryPickStart(out var start)) { kinds.Add("message_start"); startInput = start.Message.Usage.InputTokens; }
            else if (e.TryPickContentBlockStart(out _)) kinds.Add("content_block_start");
            else if (e.TryPickContentBlockDelta(out var delta))
            {
                kinds.Add("content_block_delta");
                Assert.True(delta.Delta.TryPickText(out var t));
                text.Append(t!.Text);
            }
            else if (e.TryPickContentBlockStop(out _)) kinds.Add("content_block_stop");
            else if (e.TryPickDelta(out var md)) { kinds.Add("message_delta"); stopReason = md.Delta.StopReason?.Raw(); deltaOutput = md.Usage.OutputTokens; }
            else if (e.TryPickStop(out _)) kinds.Add("message_stop");
        }

        Assert.Equal(expectedText, text.ToString());
        Assert.Equal("message_start", kinds[0]);
        Assert.Equal("content_block_start", kinds[1]);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], kinds[^3..]);
        Assert.Equal(expected.StopReason?.Raw(), stopReason);
        Assert.Equal(expected.Usage.InputTokens, startInput);
        Assert.Equal(expected.Usage.OutputTokens, deltaOutput);
    }

    [Fact]
    public async Task ToolUseThenToolResultRoundTripsThroughTheMeaiAdapter()
    {
        IChatClient chat = Client().AsIChatClient(Server.ModelId);
        var weather = AIFunctionFactory.CreateDeclaration("get_weather", "Current weather of a city", JsonSerializer.SerializeToElement(new
        {
            type = "object",
            properties = WeatherProperties,
            required = new[] { "city", "unit" },
        }));
        var history = new List<ChatMessage> { new(ChatRole.User, "What is the weather in Lima?") };
        var first = await chat.GetResponseAsync(history, new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 100, Temperature = 0 });

        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<AiFunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Contains(call.Arguments!["city"]?.ToString(), new[] { "Paris", "Tokyo", "Lima" });
        Assert.Contains(call.Arguments!["unit"]?.ToString(), new[] { "celsius", "fahrenheit" });
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new AiFunctionResultContent(call.CallId, "18 degrees and sunny")]));
        var second = await chat.GetResponseAsync(history, new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.None, MaxOutputTokens = 16, Temperature = 0 });
        Assert.NotEmpty(second.Text);
        Assert.Empty(second.Messages.SelectMany(m => m.Contents).OfType<AiFunctionCallContent>());

        // What the server's chat client was asked the second time: the call and its result, paired by id.
        var (messages, _) = fixture.Recorder.Calls.Last();
        var sentCall = Assert.Single(messages.SelectMany(m => m.Contents).OfType<AiFunctionCallContent>());
        var sentResult = Assert.Single(messages.SelectMany(m => m.Contents).OfType<AiFunctionResultContent>());
        Assert.Equal(call.CallId, sentCall.CallId);
        Assert.Equal(call.CallId, sentResult.CallId);
        Assert.Equal("18 degrees and sunny", sentResult.Result?.ToString());
        Assert.Equal("What is the weather in Lima?", Assert.Single(messages, m => m.Role == ChatRole.User).Contents.OfType<AiTextContent>().Single().Text);
    }

    [Fact]
    public async Task ToolChoiceAnyStreamsAToolUseBlockWithInputJsonAndCountTokensMatches()
    {
        var client = Client();
        MessageCreateParams parameters = new()
        {
            Model = Server.ModelId,
            MaxTokens = 100,
            Messages = [new UserMessageParam("Weather in Tokyo?")],
            Tools = [WeatherTool()],
            ToolChoice = new ToolChoiceAny(),
        };
        string? name = null, id = null;
        var json = new System.Text.StringBuilder();
        string? stopReason = null;
        long? inputTokens = null;
        await foreach (var e in client.Messages.CreateStreaming(parameters))
        {
            if (e.TryPickStart(out var start)) inputTokens = start.Message.Usage.InputTokens;
            if (e.TryPickContentBlockStart(out var blockStart) && blockStart.ContentBlock.TryPickToolUse(out var toolUse))
            {
                name = toolUse.Name;
                id = toolUse.ID;
            }
            if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickInputJson(out var input)) json.Append(input.PartialJson);
            if (e.TryPickDelta(out var md)) stopReason = md.Delta.StopReason?.Raw();
        }
        Assert.Equal("get_weather", name);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal("tool_use", stopReason);
        using var arguments = JsonDocument.Parse(json.ToString());
        Assert.Contains(arguments.RootElement.GetProperty("city").GetString(), new[] { "Paris", "Tokyo", "Lima" });

        var count = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = Server.ModelId,
            Messages = [new UserMessageParam("Weather in Tokyo?")],
            Tools = [WeatherTool()],
            ToolChoice = new ToolChoiceAny(),
        });
        Assert.Equal(count.InputTokens, inputTokens);
        // The tools are part of the prompt.
        var bare = await client.Messages.CountTokens(new MessageCountTokensParams { Model = Server.ModelId, Messages = [new UserMessageParam("Weather in Tokyo?")] });
        Assert.True(count.InputTokens > bare.InputTokens + 20, $"{count.InputTokens} vs {bare.InputTokens}");
    }

    [Fact]
    public async Task MissingOrWrongKeyIs401ForTheSdk()
    {
        foreach (var key in new[] { "sk-wrong" })
        {
            var ex = await Assert.ThrowsAnyAsync<AnthropicServiceException>(() => Client(key).Messages.Create(Greedy("hi", 4)));
            Assert.Contains("Unauthorized", ex.GetType().Name);
            Assert.Equal("authentication_error", ex.Body.GetProperty("error").GetProperty("type").GetString());
        }
        using var http = Server.CreateHttpClient(withKey: false);
        using var response = await http.PostAsync("v1/messages", OpenAiAssert.Json($$"""{"model":"{{Server.ModelId}}","max_tokens":4,"messages":[{"role":"user","content":"hi"}]}"""));
        await AnthropicAssert.ErrorAsync(response, System.Net.HttpStatusCode.Unauthorized, "authentication_error");

        // The server still answers with the key, given as x-api-key (what the SDK sends) or as a Bearer token.
        Assert.NotEmpty((await Client().Messages.Create(Greedy("hi", 4))).Content);
        using var bearer = Server.CreateHttpClient();
        using var ok = await bearer.PostAsync("v1/messages/count_tokens", OpenAiAssert.Json($$"""{"model":"{{Server.ModelId}}","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
    }
}
