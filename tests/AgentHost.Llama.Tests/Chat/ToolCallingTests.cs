using System.Text.Json;
using AgentHost.Grammar;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Tests.Engine;
using Microsoft.Extensions.AI;
using NJsonSchema;

namespace AgentHost.Llama.Tests.Chat;

/// <summary>
/// Tool calls and structured output from a random-weight model: the grammar makes every call parse and every
/// argument object validate against the function's schema — checked by NJsonSchema, an independent validator.
/// Bounded strings use ASCII patterns: NJsonSchema counts maxLength in UTF-16 units where JSON Schema (and our
/// grammar) count code points, so an emoji would be a validator disagreement, not an invalid output.
/// </summary>
public class ToolCallingTests(SyntheticQwenFixture fixture) : IClassFixture<SyntheticQwenFixture>
{
    private const string WeatherSchema = """
        {"type":"object","properties":{
          "city":{"type":"string","pattern":"^[A-Za-z ]{1,24}$"},
          "unit":{"type":"string","enum":["celsius","fahrenheit"]},
          "days":{"type":"integer","minimum":1,"maximum":14},
          "detailed":{"type":"boolean"}},
         "required":["city","unit"],"additionalProperties":false}
        """;

    private const string TicketSchema = """
        {"type":"object","properties":{
          "title":{"type":"string","pattern":"^[A-Za-z0-9 .,!?-]{0,40}$"},
          "priority":{"enum":["low","normal","high"]},
          "tags":{"type":"array","items":{"type":"string","pattern":"^[a-z]{1,12}$"},"maxItems":3},
          "customer":{"$ref":"#/$defs/customer"}},
         "required":["title","priority","customer"],
         "$defs":{"customer":{"type":"object","properties":{"id":{"type":"integer","minimum":0,"maximum":99999},"email":{"type":["string","null"],"pattern":"^[a-z]{1,10}@[a-z]{1,10}\\.com$"}},"required":["id"]}}}
        """;

    private LlamaChatClient Client() => new(fixture.Engine, ChatPromptFormatterFactory.Create(fixture.Model, null));

    private static AIFunctionDeclaration Declaration(string name, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, $"The {name} tool", JsonDocument.Parse(schema).RootElement);

    [Fact]
    public async Task TwoHundredRequiredToolCallsAllParseAndValidate()
    {
        var tools = new[] { Declaration("get_weather", WeatherSchema), Declaration("create_ticket", TicketSchema) };
        var validators = new Dictionary<string, JsonSchema>
        {
            ["get_weather"] = await JsonSchema.FromJsonAsync(WeatherSchema),
            ["create_ticket"] = await JsonSchema.FromJsonAsync(TicketSchema.Replace("$defs", "definitions").Replace("#/definitions/", "#/definitions/")),
        };
        var client = Client();
        var calls = 0;
        // All 200 at once: the engine decodes four together (sampling each with its own grammar in parallel).
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(seed => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Help me with the weather or a ticket.")], new ChatOptions
        {
            Tools = tools,
            ToolMode = ChatToolMode.RequireAny,
            AllowMultipleToolCalls = false,
            Temperature = 1.0f,
            TopK = 0,
            TopP = 1,
            Seed = seed,
            MaxOutputTokens = 600,
        })));
        for (var seed = 0; seed < 200; seed++)
        {
            var response = responses[seed];
            Assert.True(response.FinishReason == ChatFinishReason.ToolCalls, $"seed {seed}: finished {response.FinishReason} after {response.Usage?.OutputTokenCount} tokens: {response.Text}");
            var fcs = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            Assert.NotEmpty(fcs);
            foreach (var fc in fcs)
            {
                calls++;
                var json = JsonSerializer.Serialize(fc.Arguments, AIJsonUtilities.DefaultOptions);
                var errors = validators[fc.Name].Validate(json);
                Assert.True(errors.Count == 0, $"seed {seed}: {fc.Name}({json}) fails its schema: {string.Join("; ", errors)}");
            }
        }
        Assert.True(calls >= 200);
    }

    [Fact]
    public async Task TwoHundredStructuredOutputsValidate()
    {
        var validator = await JsonSchema.FromJsonAsync(TicketSchema.Replace("$defs", "definitions"));
        var format = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(TicketSchema).RootElement, "ticket");
        var client = Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(seed => client.GetResponseAsync("Open a ticket.", new ChatOptions
        {
            ResponseFormat = format,
            Temperature = 1.0f,
            TopK = 0,
            TopP = 1,
            Seed = seed,
            MaxOutputTokens = 600,
        })));
        for (var seed = 0; seed < 200; seed++)
        {
            var response = responses[seed];
            Assert.True(response.FinishReason == ChatFinishReason.Stop, $"seed {seed}: finished {response.FinishReason}: {response.Text}");
            var errors = validator.Validate(response.Text);
            Assert.True(errors.Count == 0, $"seed {seed}: {response.Text} fails the schema: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public async Task NamedFunctionIsTheOneCalled()
    {
        var tools = new[] { Declaration("get_weather", WeatherSchema), Declaration("create_ticket", TicketSchema) };
        for (var seed = 0; seed < 10; seed++)
        {
            var response = await Client().GetResponseAsync("go", new ChatOptions
            {
                Tools = tools, ToolMode = ChatToolMode.RequireSpecific("create_ticket"), Temperature = 1, TopK = 0, TopP = 1, Seed = seed, MaxOutputTokens = 600,
            });
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            Assert.Single(calls);
            Assert.Equal("create_ticket", calls[0].Name);
        }
    }

    [Fact]
    public async Task ACallCutOffByTheTokenLimitIsNeitherRunNorShownAsText()
    {
        var tools = new[] { Declaration("create_ticket", TicketSchema) };
        foreach (var streaming in new[] { false, true })
        {
            var options = new ChatOptions { Tools = tools, ToolMode = ChatToolMode.RequireAny, Temperature = 0, MaxOutputTokens = 6 };
            var response = streaming
                ? await Client().GetStreamingResponseAsync("go", options).ToChatResponseAsync()
                : await Client().GetResponseAsync("go", options);
            Assert.Equal(ChatFinishReason.Length, response.FinishReason);
            Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
            Assert.DoesNotContain("tool_call", response.Text);
            Assert.DoesNotContain("create_ticket", response.Text);
        }
    }

    [Fact]
    public async Task ToolModeNoneNeverCalls()
    {
        var response = await Client().GetResponseAsync("go", new ChatOptions
        {
            Tools = [Declaration("get_weather", WeatherSchema)], ToolMode = ChatToolMode.None, Temperature = 1, Seed = 3, MaxOutputTokens = 40,
        });
        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.NotEqual(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task StreamingNeverLeaksToolCallSyntaxAsText()
    {
        var tools = new[] { Declaration("get_weather", WeatherSchema) };
        for (var seed = 0; seed < 10; seed++)
        {
            var updates = await Client().GetStreamingResponseAsync("weather?", new ChatOptions
            {
                Tools = tools, ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false, Temperature = 1, TopK = 0, TopP = 1, Seed = seed, MaxOutputTokens = 600,
            }).ToListAsync();
            var text = string.Concat(updates.Select(u => u.Text));
            Assert.DoesNotContain("tool_calls", text);
            Assert.DoesNotContain("get_weather", text);
            Assert.Contains(updates, u => u.Contents.OfType<FunctionCallContent>().Any());
        }
    }

    [Fact]
    public async Task MeaiFunctionInvocationRunsTheToolAndContinues()
    {
        var invoked = new List<string>();
        var tool = AIFunctionFactory.Create((string city) => { invoked.Add(city); return $"Sunny in {city}"; }, "get_weather", "Gets the weather for a city");
        using var client = new ChatClientBuilder(Client()).UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 3).Build();
        var response = await client.GetResponseAsync("What is the weather?", new ChatOptions
        {
            Tools = [tool], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false, Temperature = 1, TopK = 0, TopP = 1, Seed = 11, MaxOutputTokens = 1000,
        });
        Assert.NotEmpty(invoked);
        var results = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        Assert.NotEmpty(results);
        Assert.Contains(results, r => r.Result?.ToString()?.StartsWith("Sunny in", StringComparison.Ordinal) == true);
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);
    }

    [Fact]
    public async Task ToolResultForUnknownCallIdIsRejected()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "hi"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_999", "Sunny")]),
        ];
        var ex = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => Client().GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 4 }));
        Assert.Contains("call_999", ex.Message);
    }

    [Fact]
    public async Task ToolWithAnInvalidSchemaIsAClearError()
    {
        var bad = Declaration("broken", """{"type":"object","properties":{"x":{"type":"strng"}}}""");
        var ex = await Assert.ThrowsAsync<InvalidSchemaException>(() => Client().GetResponseAsync("go", new ChatOptions { Tools = [bad], MaxOutputTokens = 4 }));
        Assert.Contains("strng", ex.Message);
    }

    [Fact]
    public async Task KeywordsNoGrammarCanExpressLoosenTheGrammarInsteadOfFailing()
    {
        // Response format and tool both carry keywords no grammar can express; neither rejects the request.
        var format = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object","patternProperties":{"^a":{"type":"string"}}}""").RootElement, "x");
        var response = await Client().GetResponseAsync("go", new ChatOptions { ResponseFormat = format, MaxOutputTokens = 8 });
        Assert.StartsWith("{", response.Text.TrimStart(), StringComparison.Ordinal);

        var paint = Declaration("paint", """{"type":"object","properties":{"color":{"type":"string","pattern":"^[a-z]{1,8}$","not":{"enum":["red"]}}},"required":["color"],"additionalProperties":false}""");
        var call = await Client().GetResponseAsync("go", new ChatOptions { Tools = [paint], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false, MaxOutputTokens = 200 });
        Assert.Equal(ChatFinishReason.ToolCalls, call.FinishReason);
        var args = Assert.Single(call.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()).Arguments;
        Assert.True(args?["color"] is JsonElement { ValueKind: JsonValueKind.String }, $"color is {args?["color"]}");
    }
}
