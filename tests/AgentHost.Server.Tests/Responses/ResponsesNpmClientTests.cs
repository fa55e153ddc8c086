using System.Text.Json;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Responses;

/// <summary>
/// The official openai npm package drives client.responses.create: not streamed, streamed (its event iterator),
/// previous_response_id over three turns (the third turn's prompt carries the first: more input tokens, served
/// from the prompt cache), a client-side function call answered by function_call_output, a function_call_output
/// for a call nobody made (400), and a json_schema text format.
/// </summary>
public class ResponsesNpmClientTests(ResponsesServerFixture fixture) : IClassFixture<ResponsesServerFixture>
{
    [Fact]
    public async Task OpenAiNpmPackageDrivesResponses()
    {
        var seen = await NodeOpenAiClient.RunScriptAsync("responses-client.mjs", fixture.Server, fixture.Server.ModelId);

        var plain = seen.GetProperty("plain");
        Assert.Equal("response", plain.GetProperty("object").GetString());
        Assert.Equal(fixture.Server.ModelId, plain.GetProperty("model").GetString());
        Assert.Equal(["message"], plain.GetProperty("output_types").EnumerateArray().Select(e => e.GetString()));
        Assert.False(string.IsNullOrEmpty(plain.GetProperty("output_text").GetString()), plain.ToString());

        var stream = seen.GetProperty("stream");
        var events = stream.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("response.created", events[0].GetProperty("type").GetString());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        var deltas = string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString()));
        Assert.NotEmpty(deltas);
        Assert.Equal(deltas, stream.GetProperty("final_text").GetString());
        // Greedy: the streamed reply is the non-streamed one.
        Assert.Equal(plain.GetProperty("output_text").GetString(), deltas);

        var chain = seen.GetProperty("chain").EnumerateArray().ToList();
        Assert.Equal(chain[0].GetProperty("id").GetString(), chain[1].GetProperty("previous").GetString());
        Assert.Equal(chain[1].GetProperty("id").GetString(), chain[2].GetProperty("previous").GetString());
        int Input(int i) => chain[i].GetProperty("usage").GetProperty("input").GetInt32();
        int Output(int i) => chain[i].GetProperty("usage").GetProperty("output").GetInt32();
        // Turn 3's prompt holds turns 1 and 2 (their inputs and replies) before its own question.
        Assert.True(Input(1) > Input(0) + Output(0), $"turn 2 input {Input(1)} vs turn 1 {Input(0)}+{Output(0)}");
        Assert.True(Input(2) > Input(1) + Output(1), $"turn 3 input {Input(2)} vs turn 2 {Input(1)}+{Output(1)}");
        // And that prefix came from the prompt cache.
        var cached = chain[2].GetProperty("usage").GetProperty("cached").GetInt32();
        Assert.True(cached >= Input(0), $"turn 3 cached {cached} of {Input(2)}; turn 1 alone was {Input(0)}");

        var functions = seen.GetProperty("functions");
        var first = functions.GetProperty("first");
        Assert.Equal(["function_call"], first.GetProperty("output_types").EnumerateArray().Select(e => e.GetString()));
        var call = first.GetProperty("call");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        using (var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!))
            Assert.Contains(arguments.RootElement.GetProperty("city").GetString(), new[] { "Paris", "Oslo" });
        var second = functions.GetProperty("second");
        Assert.Equal(["message"], second.GetProperty("output_types").EnumerateArray().Select(e => e.GetString()));
        Assert.False(string.IsNullOrEmpty(second.GetProperty("text").GetString()));
        var bad = functions.GetProperty("badCall");
        Assert.Equal(400, bad.GetProperty("status").GetInt32());
        Assert.Equal("input[0].call_id", bad.GetProperty("param").GetString());

        var structured = seen.GetProperty("structured");
        Assert.Equal("json_schema", structured.GetProperty("format").GetString());
        using var label = JsonDocument.Parse(structured.GetProperty("text").GetString()!);
        Assert.Contains(label.RootElement.GetProperty("label").GetString(), new[] { "order", "other" });
    }
}
