using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static AgentHost.Server.Tests.Responses.ResponsesServerFixture;

namespace AgentHost.Server.Tests.Responses;

/// <summary>Bad requests to the Responses and Conversations API: each an OpenAI-shaped error naming the problem, and the server keeps serving.</summary>
public class ResponsesBadInputTests(ResponsesServerFixture fixture) : IClassFixture<ResponsesServerFixture>
{
    [Theory]
    [InlineData("""{"model":"agent:nobody","input":"hi"}""", 404, "model", "model_not_found", "agent:weather")]
    [InlineData("""{"input":"hi"}""", 400, "model", "missing_required_parameter", "model")]
    [InlineData("""{"model":"m","input":"hi","previous_response_id":"resp_missing"}""", 404, "previous_response_id", "previous_response_not_found", "resp_missing")]
    [InlineData("""{"model":"m","input":"hi","conversation":"conv_missing"}""", 404, "conversation", "conversation_not_found", "conv_missing")]
    [InlineData("""{"model":"m","input":"hi","conversation":"conv_x","previous_response_id":"resp_x"}""", 400, "conversation", "invalid_value", "cannot be used together")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","call_id":"call_nobody","output":"1"}]}""", 400, "input[0].call_id", "invalid_value", "call_nobody")]
    [InlineData("""{"model":"agent:refunds","input":[{"type":"mcp_approval_response","approval_request_id":"req_nobody","approve":true}]}""", 400, "input[0].approval_request_id", "invalid_value", "req_nobody")]
    [InlineData("""{"model":"agent:refunds","input":[{"type":"mcp_approval_response","approval_request_id":"req_x"}]}""", 400, "input[0].approve", "missing_required_parameter", "approve")]
    [InlineData("""{"model":"m","input":""}""", 400, "input", "empty_string", "empty")]
    [InlineData("""{"model":"m","input":[]}""", 400, "input", "empty_array", "empty")]
    [InlineData("""{"model":"m"}""", 400, "input", "missing_required_parameter", "input")]
    [InlineData("""{"model":"m","input":[{"role":"robot","content":"hi"}]}""", 400, "input[0].role", "invalid_value", "robot")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference","id":"x"}]}""", 400, "input[0].type", "invalid_value", "item_reference")]
    [InlineData("""{"model":"m","input":"hi","tools":[{"type":"web_search"}]}""", 400, "tools[0].type", "invalid_value", "web_search")]
    [InlineData("""{"model":"m","input":"hi","tool_choice":"required"}""", 400, "tool_choice", "invalid_value", "required")]
    [InlineData("""{"model":"m","input":"hi","max_output_tokens":0}""", 400, "max_output_tokens", "invalid_value", "minimum")]
    [InlineData("""{"model":"m","input":"hi","text":{"format":{"type":"json_schema","name":"x"}}}""", 400, "text.format.schema", "missing_required_parameter", "schema")]
    [InlineData("""{"model":"m","input":"hi","reasoning":{"effort":"huge"}}""", 400, "reasoning.effort", "invalid_value", "huge")]
    [InlineData("""{"model":"m","input":"hi","safety_identifier":"not a customer!"}""", 400, "safety_identifier", "invalid_value", "customer id")]
    [InlineData("""{"model":"m","input":"hi","max_output_tokens":"many"}""", 400, "max_output_tokens", "invalid_json", "parse")]
    public async Task BadCreateRequestIsAnOpenAiError(string body, int status, string param, string code, string messagePart)
    {
        using var http = fixture.Server.CreateHttpClient();
        var (actual, error) = await PostAsync(http, "v1/responses", body);
        AssertError(actual, error, status, param, code, messagePart);
        await AssertStillServingAsync(http);
    }

    [Theory]
    [InlineData("GET", "v1/responses/resp_missing", "response_id", "response_not_found")]
    [InlineData("DELETE", "v1/responses/resp_missing", "response_id", "response_not_found")]
    [InlineData("GET", "v1/responses/resp_missing/input_items", "response_id", "response_not_found")]
    [InlineData("GET", "v1/conversations/conv_missing", "conversation_id", "conversation_not_found")]
    [InlineData("GET", "v1/conversations/conv_missing/items", "conversation_id", "conversation_not_found")]
    [InlineData("DELETE", "v1/conversations/conv_missing", "conversation_id", "conversation_not_found")]
    public async Task UnknownIdIsA404(string method, string path, string param, string code)
    {
        using var http = fixture.Server.CreateHttpClient();
        var (actual, error) = await SendAsync(http, new HttpMethod(method), path);
        AssertError(actual, error, 404, param, code, "not found");
        await AssertStillServingAsync(http);
    }

    [Fact]
    public async Task InvalidUtf8IsRefused()
    {
        using var http = fixture.Server.CreateHttpClient();
        var bytes = Encoding.UTF8.GetBytes("""{"model":"m","input":"bad X"}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("v1/responses", content);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        AssertError((int)response.StatusCode, error, 400, "input", "invalid_json", "UTF-8");
        await AssertStillServingAsync(http);
    }

    [Fact]
    public async Task DeletedResponseCannotBeReadOrContinued()
    {
        using var http = fixture.Server.CreateHttpClient();
        var (status, created) = await PostAsync(http, "v1/responses", """{"model":"m","input":"Hi","max_output_tokens":2}""");
        Assert.Equal(200, status);
        var id = created.GetProperty("id").GetString();
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Delete, $"v1/responses/{id}")).Status);
        AssertError(await SendAsync(http, HttpMethod.Get, $"v1/responses/{id}"), 404, "response_id", "response_not_found", id!);
        AssertError(await PostAsync(http, "v1/responses", JsonSerializer.Serialize(new { model = "m", input = "More", previous_response_id = id })), 404, "previous_response_id", "previous_response_not_found", id!);
        // Another customer's response reads as not found too.
        var (_, mine) = await PostAsync(http, "v1/responses", """{"model":"m","input":"Hi","max_output_tokens":2,"safety_identifier":"C-1001"}""");
        AssertError(await SendAsync(http, HttpMethod.Get, $"v1/responses/{mine.GetProperty("id").GetString()}"), 404, "response_id", "response_not_found", "not found");
        using var owner = fixture.Server.CreateHttpClient();
        owner.DefaultRequestHeaders.Add("X-AgentHost-Customer", "C-1001");
        Assert.Equal(200, (await SendAsync(owner, HttpMethod.Get, $"v1/responses/{mine.GetProperty("id").GetString()}")).Status);
    }

    private static void AssertError((int Status, JsonElement Body) result, int status, string param, string code, string messagePart) =>
        AssertError(result.Status, result.Body, status, param, code, messagePart);

    private static void AssertError(int actual, JsonElement body, int status, string param, string code, string messagePart)
    {
        Assert.True(actual == status, $"{actual}: {body}");
        var error = body.GetProperty("error");
        Assert.Equal(status == 401 ? "authentication_error" : "invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task AssertStillServingAsync(HttpClient http)
    {
        using var health = await http.GetAsync("health");
        Assert.Equal(200, (int)health.StatusCode);
    }
}
