using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Responses;

/// <summary>The Responses API's wire format as any HTTP client sees it: the response object and the typed event stream.</summary>
public class ResponsesWireTests(ResponsesServerFixture fixture) : IClassFixture<ResponsesServerFixture>
{
    [Fact]
    public async Task NonStreamingResponseIsStoredAndReadBack()
    {
        using var http = fixture.Server.CreateHttpClient();
        var (status, body) = await ResponsesServerFixture.PostAsync(http, "v1/responses", """{"model":"qwen2-tiny","input":"Hello there","max_output_tokens":6}""");
        Assert.True(status == 200, body.ToString());
        Assert.Equal("response", body.GetProperty("object").GetString());
        Assert.StartsWith("resp_", body.GetProperty("id").GetString());
        Assert.Contains(body.GetProperty("status").GetString(), new[] { "completed", "incomplete" });
        var message = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        var text = message.GetProperty("content")[0].GetProperty("text").GetString();
        Assert.False(string.IsNullOrEmpty(text));
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("input_tokens").GetInt32() > 0);
        Assert.InRange(usage.GetProperty("output_tokens").GetInt32(), 1, 6);

        var (getStatus, stored) = await ResponsesServerFixture.SendAsync(http, HttpMethod.Get, "v1/responses/" + body.GetProperty("id").GetString());
        Assert.Equal(200, getStatus);
        Assert.Equal(text, stored.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        var (itemsStatus, items) = await ResponsesServerFixture.SendAsync(http, HttpMethod.Get, $"v1/responses/{body.GetProperty("id").GetString()}/input_items");
        Assert.Equal(200, itemsStatus);
        Assert.Equal("Hello there", items.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task StreamedResponseSendsTypedEventsInSequence()
    {
        using var http = fixture.Server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses")
        {
            Content = new StringContent("""{"model":"qwen2-tiny","input":"Hello there","max_output_tokens":6,"stream":true}""", Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString());
        var events = ParseEvents(await response.Content.ReadAsStringAsync());
        var types = events.Select(e => e.Type).ToList();
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.in_progress", types[1]);
        Assert.Contains("response.output_item.added", types);
        Assert.Contains("response.content_part.added", types);
        Assert.Contains("response.output_text.delta", types);
        Assert.Contains("response.output_text.done", types);
        Assert.Contains("response.output_item.done", types);
        Assert.Contains(types[^1], new[] { "response.completed", "response.incomplete" });
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        foreach (var e in events) Assert.Equal(e.Type, e.Data.GetProperty("type").GetString());
        var deltas = string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal(deltas, events.Single(e => e.Type == "response.output_text.done").Data.GetProperty("text").GetString());
        var final = events[^1].Data.GetProperty("response");
        Assert.Equal(deltas, final.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    internal static List<(string Type, JsonElement Data)> ParseEvents(string text)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? type = null;
            string? data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
            if (type is not null && data is not null) events.Add((type, JsonDocument.Parse(data).RootElement.Clone()));
        }
        return events;
    }
}
