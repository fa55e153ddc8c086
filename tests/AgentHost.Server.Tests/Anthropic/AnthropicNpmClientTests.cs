using System.Text.Json;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Anthropic;

/// <summary>
/// The official Anthropic TypeScript SDK (<c>@anthropic-ai/sdk</c>, installed from tests/npm by the test) drives
/// /v1/messages: non-streaming, streaming through the SDK's own accumulator, a tool_use → tool_result round trip,
/// count_tokens matching usage, and a 401 it recognises as AuthenticationError.
/// </summary>
public class AnthropicNpmClientTests(AnthropicServerFixture fixture) : IClassFixture<AnthropicServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    [Fact]
    public async Task TypeScriptSdkRunsEveryFlow()
    {
        var (code, stdout, stderr) = await NpmPackages.NodeAsync("anthropic-client.mjs",
            [Server.BaseAddress.ToString().TrimEnd('/'), TestModels.ApiKey, Server.ModelId]);
        Assert.True(code == 0, $"node exited {code}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;

        var message = root.GetProperty("message");
        Assert.StartsWith("msg_", message.GetProperty("id").GetString());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(Server.ModelId, message.GetProperty("model").GetString());
        var text = message.GetProperty("text").GetString();
        Assert.False(string.IsNullOrEmpty(text));
        var inputTokens = message.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        Assert.Equal(root.GetProperty("count").GetInt32(), inputTokens);

        // Greedy decoding: the stream says exactly what the single response said.
        var stream = root.GetProperty("stream");
        Assert.Equal(text, stream.GetProperty("text").GetString());
        Assert.Equal(text, stream.GetProperty("finalText").GetString());
        Assert.Equal(message.GetProperty("stop_reason").GetString(), stream.GetProperty("stop_reason").GetString());
        Assert.Equal(inputTokens, stream.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        var events = stream.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal("message_start", events[0]);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events[^3..]);

        var tools = root.GetProperty("tools");
        Assert.Equal("tool_use", tools.GetProperty("stop_reason").GetString());
        Assert.Equal("get_weather", tools.GetProperty("name").GetString());
        Assert.Contains(tools.GetProperty("input").GetProperty("city").GetString(), new[] { "Paris", "Tokyo", "Lima" });
        Assert.NotEqual("tool_use", tools.GetProperty("second_stop_reason").GetString());
        Assert.Equal(["text"], tools.GetProperty("second_types").EnumerateArray().Select(e => e.GetString()).Distinct());
        Assert.Equal(tools.GetProperty("second_count").GetInt32(), tools.GetProperty("second_input_tokens").GetInt32());

        var unauthorized = root.GetProperty("unauthorized");
        Assert.Equal(401, unauthorized.GetProperty("status").GetInt32());
        Assert.Equal("AuthenticationError", unauthorized.GetProperty("name").GetString());
        Assert.Equal("authentication_error", unauthorized.GetProperty("type").GetString());
    }
}
