using System.ComponentModel;
using System.Net;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using static AgentHost.Server.Tests.Support.OpenAiAssert;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AgentHost.Server.Tests;

/// <summary>A server over the synthetic Qwen2.5-template model, started once for the tool tests.</summary>
public sealed class QwenServerFixture : IAsyncLifetime
{
    public LoopbackServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await LoopbackServer.StartAsync(TestModels.Qwen());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Tool calls and structured output end to end: real clients send tools, the server answers with tool_calls
/// (which it never runs itself), the client runs them and sends the results back, and the server answers again.
/// The model has random weights; the tool-call and JSON grammars make its calls and objects well-formed.
/// </summary>
public class ToolRoundTripTests(QwenServerFixture fixture) : IClassFixture<QwenServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    private const string WeatherSchema = """
        {"type":"object","properties":{"city":{"type":"string","enum":["Paris","Tokyo","Lima"]},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},
         "required":["city","unit"],"additionalProperties":false}
        """;

    private static AIFunctionDeclaration Weather() =>
        AIFunctionFactory.CreateDeclaration("get_weather", "Current weather of a city", JsonDocument.Parse(WeatherSchema).RootElement);

    private static ChatOptions Options(ChatToolMode mode, int seed) => new()
    {
        Tools = [Weather()],
        ToolMode = mode,
        AllowMultipleToolCalls = false,
        // A call is about 30 tokens; the text turn after it needs no more.
        MaxOutputTokens = 100,
        Temperature = 0.7f,
        Seed = seed,
    };

    private static void AssertWeatherCall(FunctionCallContent call)
    {
        Assert.Equal("get_weather", call.Name);
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Contains(call.Arguments!["city"]?.ToString(), new[] { "Paris", "Tokyo", "Lima" });
        Assert.Contains(call.Arguments!["unit"]?.ToString(), new[] { "celsius", "fahrenheit" });
    }

    [Fact]
    public async Task OpenAiSdkToolCallRoundTrip()
    {
        var client = RealClients.Chat(Server);
        var history = new List<ChatMessage> { new(ChatRole.User, "What is the weather in Tokyo?") };
        var first = await client.GetResponseAsync(history, Options(ChatToolMode.RequireAny, seed: 1));
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        AssertWeatherCall(call);

        // The client runs the tool and sends its result back under the call's id; the model answers in text.
        history.AddMessages(first);
        var withResult = history.Append(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "Sunny, 21 degrees")])).ToList();
        var second = await client.GetResponseAsync(withResult, Options(ChatToolMode.None, seed: 2));
        Assert.Empty(second.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.True(second.FinishReason == ChatFinishReason.Stop || second.FinishReason == ChatFinishReason.Length, $"finished {second.FinishReason}");

        // The tool result reaches the prompt: a longer result makes a longer prompt.
        var longer = history.Append(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "Sunny, 21 degrees, and a light breeze from the west over the bay")])).ToList();
        var controlOptions = Options(ChatToolMode.None, seed: 2);
        controlOptions.MaxOutputTokens = 1;
        var control = await client.GetResponseAsync(longer, controlOptions);
        Assert.True(control.Usage?.InputTokenCount > second.Usage?.InputTokenCount + 5, $"{second.Usage?.InputTokenCount} vs {control.Usage?.InputTokenCount}");
    }

    [Fact]
    public async Task OpenAiSdkStreamingToolCallRoundTrip()
    {
        var client = RealClients.Chat(Server);
        var history = new List<ChatMessage> { new(ChatRole.User, "Weather in Lima, please.") };
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(history, Options(ChatToolMode.RequireAny, seed: 3))) updates.Add(update);
        var first = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        AssertWeatherCall(call);

        history.AddMessages(first);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "Cloudy, 17 degrees")]));
        var text = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(history, new ChatOptions { MaxOutputTokens = 24, Seed = 4 })) text.Add(update);
        var second = text.ToChatResponse();
        Assert.Empty(second.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.True(second.FinishReason == ChatFinishReason.Stop || second.FinishReason == ChatFinishReason.Length, $"finished {second.FinishReason}");
    }

    [Fact]
    public async Task RawToolCallResponseIsOpenAiShaped()
    {
        using var http = Server.CreateHttpClient();
        var tools = $$$"""[{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{{{WeatherSchema}}}}}]""";
        using var response = await http.PostAsync("v1/chat/completions", Json($$$"""
            {"model":"qwen2-tiny","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":{{{tools}}},
             "tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":false,"max_tokens":200,"seed":5}
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var content = Completion(document.RootElement, "qwen2-tiny");
        var choice = document.RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Null(content);
        var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(call.GetProperty("id").GetString()));
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        // arguments is JSON text, as OpenAI sends it.
        using var args = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Contains(args.RootElement.GetProperty("city").GetString(), new[] { "Paris", "Tokyo", "Lima" });

        // Streamed, the call arrives as a tool_calls delta with an index.
        using var streamed = await http.PostAsync("v1/chat/completions", Json($$"""
            {"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":{{tools}},"tool_choice":"required","parallel_tool_calls":false,"max_tokens":200,"seed":5,"stream":true}
            """));
        var body = await streamed.Content.ReadAsStringAsync();
        var (_, finish, _) = Stream(body, "qwen2-tiny");
        Assert.Equal("tool_calls", finish);
        var deltas = SseData(body).SkipLast(1).Select(d => JsonDocument.Parse(d).RootElement.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("tool_calls", out _)).ToList();
        var streamedCall = Assert.Single(deltas).GetProperty("tool_calls")[0];
        Assert.Equal(0, streamedCall.GetProperty("index").GetInt32());
        Assert.Equal("get_weather", streamedCall.GetProperty("function").GetProperty("name").GetString());
    }

    public enum City { Paris, Tokyo, Lima }

    public sealed class WeatherPlugin
    {
        public List<City> Calls { get; } = [];

        [KernelFunction("get_weather"), Description("Current weather of a city")]
        public string GetWeather(City city)
        {
            lock (Calls) Calls.Add(city);
            return $"Sunny in {city}, 21 degrees";
        }
    }

    /// <summary>SK sends tool_choice "required" with parallel_tool_calls false on the first request only, then no tools.</summary>
    private static FunctionChoiceBehavior OneCallRequired() =>
        FunctionChoiceBehavior.Required(options: new FunctionChoiceBehaviorOptions { AllowParallelCalls = false });

    [Fact]
    public async Task SemanticKernelConnectorInvokesTheToolAndAnswers()
    {
        var plugin = new WeatherPlugin();
        var kernel = RealClients.Kernel(Server, plugin);
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = OneCallRequired(), MaxTokens = 100, Temperature = 0.7, Seed = 6 };

        var history = new ChatHistory();
        history.AddUserMessage("What is the weather in Paris?");
        var reply = await chat.GetChatMessageContentAsync(history, settings, kernel);
        // SK ran the function the server asked for (client-side), sent the result, and got the final answer.
        Assert.Single(plugin.Calls);
        Assert.Contains(history, m => m.Items.OfType<Microsoft.SemanticKernel.FunctionCallContent>().Any());
        Assert.Contains(history, m => m.Role == AuthorRole.Tool);
        Assert.Equal(AuthorRole.Assistant, reply.Role);
        Assert.Empty(reply.Items.OfType<Microsoft.SemanticKernel.FunctionCallContent>());
    }

    [Fact]
    public async Task SemanticKernelConnectorStreamingInvokesTheToolAndAnswers()
    {
        var plugin = new WeatherPlugin();
        var kernel = RealClients.Kernel(Server, plugin);
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = OneCallRequired(), MaxTokens = 100, Temperature = 0.7, Seed = 7 };

        var history = new ChatHistory();
        history.AddUserMessage("Is it raining in Lima?");
        var parts = new List<StreamingChatMessageContent>();
        await foreach (var part in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel)) parts.Add(part);
        Assert.Single(plugin.Calls);
        Assert.Contains(history, m => m.Role == AuthorRole.Tool);
        Assert.NotEmpty(parts);
    }

    [Fact]
    public async Task JsonSchemaResponseFormatThroughTheSdkGivesAMatchingObject()
    {
        // MEAI's OpenAI adapter rewrites schemas for OpenAI's strict mode (it moves minimum/maximum into the
        // description), so this schema uses only what survives that: enums, booleans, required, no extras.
        var client = RealClients.Chat(Server);
        var schema = JsonDocument.Parse("""
            {"type":"object","properties":{"answer":{"type":"string","enum":["yes","no"]},"sure":{"type":"boolean"}},
             "required":["answer","sure"],"additionalProperties":false}
            """).RootElement;
        for (var seed = 0; seed < 3; seed++)
        {
            var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Is the sky blue?")], new ChatOptions
            {
                ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "verdict", "A yes/no verdict"),
                MaxOutputTokens = 200,
                Temperature = 1,
                Seed = seed,
            });
            Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
            using var json = JsonDocument.Parse(response.Text);
            Assert.Equal(["answer", "sure"], json.RootElement.EnumerateObject().Select(p => p.Name).Order());
            Assert.Contains(json.RootElement.GetProperty("answer").GetString(), new[] { "yes", "no" });
            Assert.Contains(json.RootElement.GetProperty("sure").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        }
    }

    [Fact]
    public async Task JsonSchemaResponseFormatKeepsNumericBounds()
    {
        // Raw HTTP: the schema reaches the grammar as sent, bounds included.
        using var http = Server.CreateHttpClient();
        for (var seed = 0; seed < 3; seed++)
        {
            using var response = await http.PostAsync("v1/chat/completions", Json("""
                {"messages":[{"role":"user","content":"Rate it."}],"max_tokens":200,"temperature":1,"seed":SEED,
                 "response_format":{"type":"json_schema","json_schema":{"name":"rating","strict":true,"schema":
                   {"type":"object","properties":{"score":{"type":"integer","minimum":0,"maximum":9}},"required":["score"],"additionalProperties":false}}}}
                """.Replace("SEED", seed.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var content = Completion(document.RootElement, "qwen2-tiny");
            Assert.Equal("stop", document.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
            using var json = JsonDocument.Parse(content!);
            Assert.InRange(json.RootElement.GetProperty("score").GetInt32(), 0, 9);
        }
    }

    [Fact]
    public async Task JsonObjectResponseFormatGivesAnObject()
    {
        // A random model under the JSON-object grammar may close its object or run out of tokens inside it; either
        // way every byte it wrote is JSON, starting with an object, and an output that stopped is a whole object.
        using var http = Server.CreateHttpClient();
        for (var seed = 0; seed < 4; seed++)
        {
            using var response = await http.PostAsync("v1/chat/completions", Json("""
                {"messages":[{"role":"user","content":"Give me JSON."}],"response_format":{"type":"json_object"},"max_tokens":60,"seed":SEED,"temperature":0.5}
                """.Replace("SEED", seed.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var content = Completion(document.RootElement, "qwen2-tiny")!;
            Assert.StartsWith("{", content.TrimStart());
            if (document.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString() == "stop")
            {
                Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(content).RootElement.ValueKind);
            }
            else
            {
                AssertJsonPrefix(content);
            }
        }
    }

    /// <summary>Reads <paramref name="text"/> as the start of a JSON document: throws at the first byte that cannot continue one.</summary>
    private static void AssertJsonPrefix(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), isFinalBlock: false, state: default);
        try
        {
            while (reader.Read()) { }
        }
        catch (JsonException ex)
        {
            Assert.Fail($"not a JSON prefix: {ex.Message}: {text}");
        }
    }
}
