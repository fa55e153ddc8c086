using System.Net;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.AnthropicAssert;


namespace AgentHost.Server.Tests.Anthropic;

/// <summary>
/// Requests Anthropic refuses get Anthropic's error body, a 4xx and a message starting with the field in
/// Anthropic's dotted form; the server answers a good request right after each.
/// </summary>
public class AnthropicBadInputTests(AnthropicServerFixture fixture) : IClassFixture<AnthropicServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    private string Body(string messages, string extra = "") =>
        $$"""{"model":"{{Server.ModelId}}","max_tokens":8,"messages":{{messages}}{{extra}}}""";

    private const string ToolUse = """{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Lima"}}]}""";

    private async Task<HttpResponseMessage> PostAsync(string body, string path = "v1/messages")
    {
        using var http = Server.CreateHttpClient();
        return await http.PostAsync(path, OpenAiAssert.Json(body));
    }

    private async Task AssertStillServingAsync()
    {
        using var response = await PostAsync(Body("""[{"role":"user","content":"Hello"}]"""));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        Assert.Equal("message", document.RootElement.GetProperty("type").GetString());
        Assert.True(document.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task ToolResultForAnUnknownToolUseIdIs400()
    {
        using var response = await PostAsync(Body($$"""[{"role":"user","content":"Weather?"},{{ToolUse}},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_999","content":"sunny"}]}]"""));
        var message = await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "messages.2.content.0.tool_use_id: ");
        Assert.Contains("toolu_999", message);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task EmptyMessagesIs400()
    {
        using var response = await PostAsync(Body("[]"));
        await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "messages: ");
        using var count = await PostAsync(Body("[]"), "v1/messages/count_tokens");
        await ErrorAsync(count, HttpStatusCode.BadRequest, "invalid_request_error", "messages: ");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ToolUseWithoutToolResultInTheNextMessageIs400()
    {
        // Anthropic requires the message after a tool_use to answer it with a tool_result.
        using var response = await PostAsync(Body($$"""[{"role":"user","content":"Weather?"},{{ToolUse}},{"role":"user","content":"never mind"}]"""));
        var message = await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "messages.1: ");
        Assert.Contains("toolu_1", message);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task SystemRoleInsideMessagesIs400()
    {
        using var response = await PostAsync(Body("""[{"role":"system","content":"be nice"},{"role":"user","content":"hi"}]"""));
        var message = await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "messages.0.role: ");
        Assert.Contains("top-level `system`", message);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task EmptyUserContentIs400()
    {
        using var response = await PostAsync(Body("""[{"role":"user","content":[]}]"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "messages.0: ");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MaxTokensOverTheLimitIs400()
    {
        var body = $$"""{"model":"{{Server.ModelId}}","max_tokens":{{AnthropicServerFixture.MaxTokensLimit + 1}},"messages":[{"role":"user","content":"hi"}]}""";
        using var response = await PostAsync(body);
        var message = await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "max_tokens: ");
        Assert.Contains(AnthropicServerFixture.MaxTokensLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
        using var missing = await PostAsync($$"""{"model":"{{Server.ModelId}}","messages":[{"role":"user","content":"hi"}]}""");
        await ErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_request_error", "max_tokens: Field required");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task UnknownModelIs404NotFoundError()
    {
        using var response = await PostAsync("""{"model":"claude-opus-4","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""");
        await ErrorAsync(response, HttpStatusCode.NotFound, "not_found_error", "model: ");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ThinkingBudgetNotBelowMaxTokensIs400()
    {
        using var response = await PostAsync($$"""{"model":"{{Server.ModelId}}","max_tokens":200,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"hi"}]}""");
        await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "thinking.enabled.budget_tokens: ");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ToolChoiceNamingAnUndeclaredToolIs400()
    {
        using var response = await PostAsync(Body("""[{"role":"user","content":"hi"}]""", ""","tool_choice":{"type":"tool","name":"nope"}"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "tool_choice.tool.name: ");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ImageBlockIs400ForATextOnlyModel()
    {
        using var response = await PostAsync(Body("""[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "messages.0.content.0.type: ");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MalformedJsonAndWrongTypesAre400()
    {
        using var malformed = await PostAsync("""{"model":"x","max_tokens":8,"messages":[""");
        await ErrorAsync(malformed, HttpStatusCode.BadRequest, "invalid_request_error");
        using var wrongType = await PostAsync(Body("""[{"role":"user","content":"hi"}]""", ""","temperature":"hot" """));
        await ErrorAsync(wrongType, HttpStatusCode.BadRequest, "invalid_request_error", "temperature: ");
        await AssertStillServingAsync();
    }
}
