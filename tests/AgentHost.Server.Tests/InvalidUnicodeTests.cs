using System.Net;
using System.Text;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>
/// A JSON body whose strings are not valid Unicode — raw invalid UTF-8 bytes (\xff\xfe) or an escaped lone
/// surrogate ("\ud800") — is a 400 naming the field on every endpoint that reads a body, never a 500; the server
/// keeps serving. Found by fuzzing /v1/chat/completions, where it used to be a server_error.
/// </summary>
public class InvalidUnicodeTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    /// <summary>The JSON text with INVALID replaced by raw 0xFF 0xFE bytes (not representable in a C# string).</summary>
    private static ByteArrayContent RawBytes(string json)
    {
        var parts = json.Split("INVALID");
        var bytes = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) bytes.AddRange([0xFF, 0xFE]);
            bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
        }
        var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static StringContent LoneSurrogate(string json) => Json(json.Replace("INVALID", "\\ud800", StringComparison.Ordinal));

    public static TheoryData<string, string, string> OpenAiBodies => new()
    {
        // endpoint, body with INVALID where the bad text goes, the field the error must name
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi INVALID there"}],"max_tokens":4}""", "messages[0].content" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":"text","text":"aINVALID"}]}],"max_tokens":4}""", "messages[0].content[0].text" },
        { "v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stop":["ok","INVALID"],"max_tokens":4}""", "stop[1]" },
        { "v1/embeddings", """{"input":["fine","xINVALIDy"]}""", "input[1]" },
        { "v1/plugins/math/greet", """{"name":"INVALID"}""", "name" },
    };

    [Theory]
    [MemberData(nameof(OpenAiBodies))]
    public async Task OpenAiEndpointsAnswer400NamingTheField(string path, string body, string field)
    {
        using var http = Server.CreateHttpClient();
        foreach (var content in new HttpContent[] { RawBytes(body), LoneSurrogate(body) })
        {
            using (content)
            using (var response = await http.PostAsync(path, content))
            {
                var error = await ErrorAsync(response, HttpStatusCode.BadRequest, param: field, code: "invalid_json");
                Assert.Contains(field, error.GetProperty("message").GetString());
            }
        }
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Contains("failed", StringComparison.Ordinal));
        using var ok = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":4}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    public static TheoryData<string, string, string> AnthropicBodies => new()
    {
        { "v1/messages", """{"model":"stories260K","max_tokens":4,"messages":[{"role":"user","content":"hINVALID"}]}""", "messages.0.content" },
        { "v1/messages", """{"model":"stories260K","max_tokens":4,"system":"sINVALID","messages":[{"role":"user","content":"hi"}]}""", "system" },
        { "v1/messages/count_tokens", """{"model":"stories260K","messages":[{"role":"user","content":[{"type":"text","text":"INVALID"}]}]}""", "messages.0.content.0.text" },
    };

    [Theory]
    [MemberData(nameof(AnthropicBodies))]
    public async Task AnthropicEndpointsAnswer400NamingTheField(string path, string body, string field)
    {
        using var http = Server.CreateHttpClient();
        foreach (var content in new HttpContent[] { RawBytes(body), LoneSurrogate(body) })
        {
            using (content)
            using (var response = await http.PostAsync(path, content))
            {
                await AnthropicAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", field + ": ");
            }
        }
        using var ok = await http.PostAsync("v1/messages/count_tokens", Json("""{"model":"stories260K","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task AnInvalidPropertyNameNamesTheObjectHoldingIt()
    {
        using var http = Server.CreateHttpClient();
        using var content = RawBytes("""{"messages":[{"role":"user","INVALID":"x","content":"hi"}],"max_tokens":4}""");
        using var response = await http.PostAsync("v1/chat/completions", content);
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages[0]", code: "invalid_json");
    }

    [Fact]
    public async Task ValidSurrogatePairsAndNonAsciiTextAreAccepted()
    {
        using var http = Server.CreateHttpClient();
        // 😀 as an escaped pair, and raw UTF-8 for é and 日本.
        using var response = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"user","content":"caf\u00e9 \ud83d\ude00 日本"}],"max_tokens":4}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
