using System.Net;
using System.Text.Json;

namespace AgentHost.Server.Tests.Support;

/// <summary>Checks of Anthropic's wire format: error bodies and named-event SSE streams.</summary>
public static class AnthropicAssert
{
    /// <summary>Asserts the status and that the body is exactly {"type":"error","error":{"type","message"}}; returns the message.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string? messageStartsWith = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(["error", "type"], root.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("error", root.GetProperty("type").GetString());
        var error = root.GetProperty("error");
        Assert.Equal(["message", "type"], error.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(type, error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        if (messageStartsWith is not null) Assert.StartsWith(messageStartsWith, message);
        return message!;
    }

    /// <summary>The (event, data) pairs of an Anthropic stream, asserting the framing and that each data's type equals its event name.</summary>
    public static List<(string Event, JsonElement Data)> Events(string body)
    {
        var chunks = body.Split("\n\n");
        Assert.Equal("", chunks[^1]);
        var events = new List<(string, JsonElement)>();
        foreach (var chunk in chunks[..^1])
        {
            var lines = chunk.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var name = lines[0]["event: ".Length..];
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(name, data.GetProperty("type").GetString());
            events.Add((name, data));
        }
        return events;
    }
}
