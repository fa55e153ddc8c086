using System.Net;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>
/// Each kind of bad request gets its 4xx with an OpenAI-shaped error body naming the parameter, and the server
/// answers a good request right after it.
/// </summary>
public class BadInputTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    private static string Chat(string messagesJson, string extra = "") =>
        $$"""{"model":"stories260K","messages":{{messagesJson}},"max_tokens":4{{extra}}}""";

    private const string Hello = """[{"role":"user","content":"Once upon a time"}]""";

    private async Task<HttpResponseMessage> PostChatAsync(string body, bool withKey = true)
    {
        using var http = Server.CreateHttpClient(withKey);
        return await http.PostAsync("v1/chat/completions", Json(body));
    }

    private async Task AssertStillServingAsync()
    {
        using var response = await PostChatAsync(Chat(Hello));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Completion(document.RootElement, Server.ModelId);
    }

    [Fact]
    public async Task MalformedJsonIs400()
    {
        using var response = await PostChatAsync("""{"model":"stories260K","messages":[{"role":"user","content":"hi"}""");
        await ErrorAsync(response, HttpStatusCode.BadRequest, code: "invalid_json");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task WrongJsonTypeIs400NamingTheField()
    {
        using var response = await PostChatAsync(Chat(Hello, ""","temperature":"hot" """));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "temperature", code: "invalid_json");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task EmptyBodyIs400()
    {
        using var response = await PostChatAsync("");
        await ErrorAsync(response, HttpStatusCode.BadRequest, code: "invalid_json");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task AnotherModelNameIsServedByTheLoadedModel()
    {
        // One model, Server:StrictModelNames off (the default): a client's hard-coded name is served, and the
        // response names the model that answered. The 404 under StrictModelNames is in ModelNameTests.
        using var response = await PostChatAsync("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":2}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Server.ModelId, document.RootElement.GetProperty("model").GetString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task UnknownRoleIs400NamingTheMessage()
    {
        using var response = await PostChatAsync(Chat("""[{"role":"user","content":"hi"},{"role":"wizard","content":"abracadabra"}]"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages[1].role", code: "invalid_value");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MissingRoleIs400()
    {
        using var response = await PostChatAsync(Chat("""[{"content":"hi"}]"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages[0].role", code: "missing_required_parameter");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ToolResultWithoutACallIs400()
    {
        using var response = await PostChatAsync(Chat("""[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"call_1","content":"42"}]"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages[1].tool_call_id", code: "invalid_value");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ImageContentIs400()
    {
        using var response = await PostChatAsync(Chat("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:,"}}]}]"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages[0].content[0].type", code: "invalid_value");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task EmptyMessagesIs400()
    {
        using var response = await PostChatAsync(Chat("[]"));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages", code: "empty_array");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MissingMessagesIs400()
    {
        using var response = await PostChatAsync("""{"model":"stories260K"}""");
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages", code: "missing_required_parameter");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task OversizedBodyIs413()
    {
        var text = new string('a', StoriesServerFixture.MaxBodyBytes + 1);
        using var response = await PostChatAsync(Chat($$"""[{"role":"user","content":"{{text}}"}]"""));
        await ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, code: "request_too_large");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task OversizedChunkedBodyIs413()
    {
        // No Content-Length: the limit is enforced while reading.
        var text = new string('a', StoriesServerFixture.MaxBodyBytes + 1);
        using var http = Server.CreateHttpClient();
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Chat($$"""[{"role":"user","content":"{{text}}"}]"""))));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await http.SendAsync(request);
        await ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, code: "request_too_large");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task PromptOverTheContextIs400()
    {
        // Well under the body limit, well over the 256-token context.
        var words = string.Join(' ', Enumerable.Repeat("once upon a time there was a little dog", 60));
        using var response = await PostChatAsync(Chat($$"""[{"role":"user","content":"{{words}}"}]"""));
        var error = await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages", code: "context_length_exceeded");
        Assert.Contains("256", error.GetProperty("message").GetString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task PromptOverTheContextWhenStreamingIsStill400()
    {
        var words = string.Join(' ', Enumerable.Repeat("once upon a time there was a little dog", 60));
        using var response = await PostChatAsync(Chat($$"""[{"role":"user","content":"{{words}}"}]""", ""","stream":true"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages", code: "context_length_exceeded");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MaxTokensOverTheLimitIs400()
    {
        using var response = await PostChatAsync($$"""{"messages":{{Hello}},"max_tokens":{{StoriesServerFixture.MaxTokensLimit + 1}}}""");
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "max_tokens", code: "invalid_value");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MaxCompletionTokensOverTheLimitIs400()
    {
        using var response = await PostChatAsync($$"""{"messages":{{Hello}},"max_completion_tokens":100000}""");
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "max_completion_tokens", code: "invalid_value");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task TemperatureOutOfRangeIs400()
    {
        using var response = await PostChatAsync(Chat(Hello, ""","temperature":3.5"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "temperature", code: "invalid_value");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ToolChoiceWithoutToolsIs400()
    {
        using var response = await PostChatAsync(Chat(Hello, ""","tool_choice":"required" """));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "tool_choice");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task InvalidResponseFormatIs400()
    {
        using var response = await PostChatAsync(Chat(Hello, ""","response_format":{"type":"xml"}"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "response_format.type");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MissingApiKeyIs401()
    {
        using var response = await PostChatAsync(Chat(Hello), withKey: false);
        await ErrorAsync(response, HttpStatusCode.Unauthorized, code: "missing_api_key");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task WrongApiKeyIs401()
    {
        using var http = Server.CreateHttpClient(withKey: false);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sk-wrong");
        using var response = await http.PostAsync("v1/chat/completions", Json(Chat(Hello)));
        await ErrorAsync(response, HttpStatusCode.Unauthorized, code: "invalid_api_key");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task WrongApiKeyIs401OnEveryProtectedEndpoint()
    {
        using var http = Server.CreateHttpClient(withKey: false);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sk-wrong");
        foreach (var path in new[] { "v1/models", "metrics", "v1/plugins" })
        {
            using var response = await http.GetAsync(path);
            await ErrorAsync(response, HttpStatusCode.Unauthorized, code: "invalid_api_key");
        }
        using var embeddings = await http.PostAsync("v1/embeddings", Json("""{"input":"hi"}"""));
        await ErrorAsync(embeddings, HttpStatusCode.Unauthorized, code: "invalid_api_key");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task UnknownUrlIs404()
    {
        using var http = Server.CreateHttpClient();
        using var response = await http.PostAsync("v1/completions/nope", Json("{}"));
        await ErrorAsync(response, HttpStatusCode.NotFound, code: "unknown_url");
        using var wrongMethod = await http.GetAsync("v1/chat/completions");
        await ErrorAsync(wrongMethod, HttpStatusCode.NotFound, code: "unknown_url");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task BadEmbeddingsInputIs400()
    {
        using var http = Server.CreateHttpClient();
        // Token arrays are accepted (CompatibilityTests); an id outside the 512-token vocabulary is not.
        using var tokens = await http.PostAsync("v1/embeddings", Json("""{"input":[[1,2,3],[1,9999]]}"""));
        await ErrorAsync(tokens, HttpStatusCode.BadRequest, param: "input[1][1]", code: "invalid_value");
        using var missing = await http.PostAsync("v1/embeddings", Json("""{"model":"stories260K"}"""));
        await ErrorAsync(missing, HttpStatusCode.BadRequest, param: "input", code: "missing_required_parameter");
        using var format = await http.PostAsync("v1/embeddings", Json("""{"input":"hi","encoding_format":"int8"}"""));
        await ErrorAsync(format, HttpStatusCode.BadRequest, param: "encoding_format");
        await AssertStillServingAsync();
    }
}
