using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentHost.Server.Tests.Support;

/// <summary>Checks of the wire format: OpenAI error bodies, completions and SSE streams, read as a client would.</summary>
public static class OpenAiAssert
{
    /// <summary>Asserts the status and that the body is exactly {"error":{"message","type","param","code"}}; returns the error object.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? param = null, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(["error"], root.EnumerateObject().Select(p => p.Name));
        var error = root.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
        if (code is not null) Assert.Equal(code, error.GetProperty("code").GetString());
        return error.Clone();
    }

    /// <summary>Asserts a non-streamed chat completion is well-formed; returns its content (null on a pure tool-call turn).</summary>
    public static string? Completion(JsonElement completion, string modelId)
    {
        Assert.StartsWith("chatcmpl-", completion.GetProperty("id").GetString());
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal(modelId, completion.GetProperty("model").GetString());
        Assert.True(completion.GetProperty("created").GetInt64() > 1_600_000_000);
        var choices = completion.GetProperty("choices");
        Assert.Equal(1, choices.GetArrayLength());
        var choice = choices[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Contains(choice.GetProperty("finish_reason").GetString(), new[] { "stop", "length", "tool_calls" });
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        var usage = completion.GetProperty("usage");
        var prompt = usage.GetProperty("prompt_tokens").GetInt32();
        var output = usage.GetProperty("completion_tokens").GetInt32();
        Assert.True(prompt > 0);
        Assert.Equal(prompt + output, usage.GetProperty("total_tokens").GetInt32());
        var cached = usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
        Assert.InRange(cached, 0, prompt - 1);
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.Null ? null : content.GetString();
    }

    /// <summary>The "data:" payloads of an SSE body, asserting the framing (every event one data line, blank line after).</summary>
    public static List<string> SseData(string body)
    {
        var events = body.Split("\n\n", StringSplitOptions.None);
        Assert.Equal("", events[^1]);
        var data = new List<string>();
        foreach (var e in events[..^1])
        {
            Assert.StartsWith("data: ", e);
            Assert.DoesNotContain('\n', e);
            data.Add(e["data: ".Length..]);
        }
        return data;
    }

    /// <summary>
    /// Asserts a streamed chat completion is well-formed: one id and model throughout, role first, one finish
    /// reason, optional usage chunk, then [DONE]. Returns the concatenated content and the usage chunk (if any).
    /// </summary>
    public static (string Content, string FinishReason, JsonElement? Usage) Stream(string body, string modelId)
    {
        var data = SseData(body);
        Assert.Equal("[DONE]", data[^1]);
        string? id = null, finish = null;
        JsonElement? usage = null;
        var content = new StringBuilder();
        for (var i = 0; i < data.Count - 1; i++)
        {
            using var document = JsonDocument.Parse(data[i]);
            var chunk = document.RootElement;
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            Assert.Equal(modelId, chunk.GetProperty("model").GetString());
            id ??= chunk.GetProperty("id").GetString();
            Assert.Equal(id, chunk.GetProperty("id").GetString());
            var choices = chunk.GetProperty("choices");
            if (choices.GetArrayLength() == 0)
            {
                Assert.Null(usage);
                Assert.NotNull(finish);
                usage = chunk.GetProperty("usage").Clone();
                continue;
            }
            Assert.Null(finish);
            var choice = choices[0];
            var delta = choice.GetProperty("delta");
            if (i == 0) Assert.Equal("assistant", delta.GetProperty("role").GetString());
            if (delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String) content.Append(c.GetString());
            if (choice.GetProperty("finish_reason").ValueKind == JsonValueKind.String) finish = choice.GetProperty("finish_reason").GetString();
        }
        Assert.NotNull(finish);
        return (content.ToString(), finish!, usage);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
