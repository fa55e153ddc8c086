using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using AgentHost.Server.Tests.Support;
using OpenAI;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>
/// POST /v1/completions over stories260K: the OpenAI .NET SDK's pipeline (OpenAI 2.15 keeps its LegacyCompletionClient
/// internal, so the request goes through the public OpenAIClient.Pipeline: its auth, its HTTP, our JSON reading), the
/// openai npm package's typed completions client, and raw HTTP for the wire format and bad input.
/// </summary>
public class CompletionsTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    // llama.cpp v0.5.0's own llama-completion, greedy, BOS added, 48 tokens (../shared/README.md).
    private const string OnceUponATime = ", there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it,";
    private const string TheLittleDog = " was a little girl named Lily. She loved to play with her toys and her toys. One day, she saw a big box with a big box. It was a big,";

    private LoopbackServer Server => fixture.Server;

    /// <summary>POST {endpoint}/completions through the OpenAI .NET SDK's own pipeline (API key policy, transport).</summary>
    private async Task<PipelineResponse> SdkCompletionAsync(object body, bool stream = false)
    {
        var pipeline = RealClients.OpenAi(Server).Pipeline;
        var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(Server.V1 + "/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromObjectAsJson(body));
        message.BufferResponse = !stream;
        await pipeline.SendAsync(message);
        var response = message.ExtractResponse()!;
        Assert.Equal(200, response.Status);
        return response;
    }

    /// <summary>What `agenthost complete --temperature 0 -n N` runs: the engine on the raw prompt, BOS added.</summary>
    private Task<GenerationResult> CliCompleteAsync(string prompt, int maxTokens) =>
        Server.Engine.CompleteAsync(new GenerationRequest { Prompt = prompt, MaxTokens = maxTokens, Sampling = new SamplerSettings { Temperature = 0 } });

    [Theory]
    [InlineData("Once upon a time", OnceUponATime)]
    [InlineData("The little dog", TheLittleDog)]
    public async Task GreedyCompletionEqualsTheCliAndLlamaCppReference(string prompt, string reference)
    {
        using var result = await SdkCompletionAsync(new { model = Server.ModelId, prompt, max_tokens = 48, temperature = 0 });
        using var document = JsonDocument.Parse(result.Content.ToString());
        var root = document.RootElement;
        Assert.Equal("text_completion", root.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", root.GetProperty("id").GetString());
        Assert.Equal(Server.ModelId, root.GetProperty("model").GetString());
        Assert.Contains(Server.ModelId, root.GetProperty("system_fingerprint").GetString());
        var choice = root.GetProperty("choices")[0];
        var text = choice.GetProperty("text").GetString();
        Assert.Equal(reference, text);
        Assert.Equal((await CliCompleteAsync(prompt, 48)).Text, text);
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        var usage = root.GetProperty("usage");
        Assert.Equal(48, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(Server.Engine.Model.Tokenize(prompt, true, true).Length, usage.GetProperty("prompt_tokens").GetInt32());
        var timings = root.GetProperty("timings");
        Assert.Equal(48, timings.GetProperty("predicted_n").GetInt32());
        Assert.True(timings.GetProperty("predicted_ms").GetDouble() > 0);
        Assert.True(timings.GetProperty("predicted_per_second").GetDouble() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), timings.GetProperty("prompt_n").GetInt32() + timings.GetProperty("cache_n").GetInt32());
    }

    [Fact]
    public async Task StreamingThroughTheSdkGivesTheSameTextThenFinishUsageAndDone()
    {
        using var response = await SdkCompletionAsync(new
        {
            model = Server.ModelId, prompt = "Once upon a time", max_tokens = 48, temperature = 0, stream = true, stream_options = new { include_usage = true },
        }, stream: true);
        Assert.StartsWith("text/event-stream", response.Headers.TryGetValue("Content-Type", out var type) ? type : "");
        using var reader = new StreamReader(response.ContentStream!);
        var data = SseData(await reader.ReadToEndAsync());
        Assert.Equal("[DONE]", data[^1]);
        var text = new StringBuilder();
        string? finish = null;
        JsonElement? usage = null, timings = null;
        foreach (var payload in data[..^1])
        {
            using var document = JsonDocument.Parse(payload);
            var chunk = document.RootElement;
            Assert.Equal("text_completion", chunk.GetProperty("object").GetString());
            if (chunk.GetProperty("choices").GetArrayLength() == 0)
            {
                usage = chunk.GetProperty("usage").Clone();
                continue;
            }
            Assert.Null(finish);
            var choice = chunk.GetProperty("choices")[0];
            text.Append(choice.GetProperty("text").GetString());
            if (choice.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            {
                finish = choice.GetProperty("finish_reason").GetString();
                timings = chunk.GetProperty("timings").Clone();
            }
        }
        Assert.Equal(OnceUponATime, text.ToString());
        Assert.Equal("length", finish);
        Assert.Equal(48, usage!.Value.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(48, timings!.Value.GetProperty("predicted_n").GetInt32());
    }

    [Fact]
    public async Task LogprobsRankTheGreedyPickFirstAndCoverTheText()
    {
        using var http = Server.CreateHttpClient();
        using var response = await http.PostAsync("v1/completions", Json("""{"prompt":"The little dog","max_tokens":16,"temperature":0,"logprobs":5}"""));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choice = document.RootElement.GetProperty("choices")[0];
        var text = choice.GetProperty("text").GetString()!;
        Assert.Equal(TheLittleDog[..text.Length], text);
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList();
        var chosen = logprobs.GetProperty("token_logprobs").EnumerateArray().Select(t => t.GetSingle()).ToList();
        var top = logprobs.GetProperty("top_logprobs").EnumerateArray().ToList();
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(t => t.GetInt32()).ToList();
        Assert.Equal(16, tokens.Count);
        Assert.Equal(text, string.Concat(tokens));
        for (var i = 0; i < tokens.Count; i++)
        {
            var alternatives = top[i].EnumerateObject().Select(p => (Token: p.Name, Logprob: p.Value.GetSingle())).ToList();
            Assert.InRange(alternatives.Count, 1, 5);
            var best = alternatives.MaxBy(a => a.Logprob);
            // Greedy: the chosen token is the most likely one, with the same log-probability.
            Assert.Equal(best.Token, tokens[i]);
            Assert.Equal(best.Logprob, chosen[i]);
            Assert.InRange(chosen[i], float.NegativeInfinity, 0f);
            Assert.Equal(string.Concat(tokens.Take(i)).Length, offsets[i]);
        }
        // The same greedy text as without logprobs: asking for probabilities does not change the pick.
        Assert.Equal((await CliCompleteAsync("The little dog", 16)).Text, text);
    }

    [Fact]
    public async Task EchoTokenPromptsAndSeveralPrompts()
    {
        using var http = Server.CreateHttpClient();
        var tokens = Server.Engine.Model.Tokenize("Once upon a time", true, true);
        using var fromTokens = await http.PostAsync("v1/completions", Json($$"""{"prompt":{{JsonSerializer.Serialize(tokens)}},"max_tokens":20,"temperature":0}"""));
        using var tokensDoc = JsonDocument.Parse(await fromTokens.Content.ReadAsStringAsync());
        Assert.Equal(OnceUponATime[..tokensDoc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!.Length], tokensDoc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());

        using var echo = await http.PostAsync("v1/completions", Json("""{"prompt":"Once upon a time","max_tokens":10,"temperature":0,"echo":true}"""));
        using var echoDoc = JsonDocument.Parse(await echo.Content.ReadAsStringAsync());
        Assert.StartsWith("Once upon a time, there was", echoDoc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());

        using var several = await http.PostAsync("v1/completions", Json("""{"prompt":["Once upon a time","The little dog"],"max_tokens":24,"temperature":0}"""));
        using var severalDoc = JsonDocument.Parse(await several.Content.ReadAsStringAsync());
        var choices = severalDoc.RootElement.GetProperty("choices");
        Assert.Equal(2, choices.GetArrayLength());
        Assert.Equal(0, choices[0].GetProperty("index").GetInt32());
        Assert.Equal(1, choices[1].GetProperty("index").GetInt32());
        Assert.StartsWith(choices[0].GetProperty("text").GetString()!, OnceUponATime);
        Assert.StartsWith(choices[1].GetProperty("text").GetString()!, TheLittleDog);
        Assert.Equal(48, severalDoc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task OpenAiNpmPackageCompletesStreamsAndReadsLogprobs()
    {
        var seen = await NodeOpenAiClient.RunAsync(Server, Server.ModelId);
        var completion = seen.GetProperty("completion");
        Assert.Equal(OnceUponATime, completion.GetProperty("text").GetString());
        Assert.Equal("length", completion.GetProperty("finish").GetString());
        Assert.Equal("text_completion", completion.GetProperty("object").GetString());
        Assert.Equal(48, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(OnceUponATime, seen.GetProperty("streamed").GetProperty("text").GetString());
        Assert.Equal("length", seen.GetProperty("streamed").GetProperty("finish").GetString());
        Assert.Equal(48, seen.GetProperty("streamed").GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        var legacy = seen.GetProperty("logprobs");
        var lp = legacy.GetProperty("logprobs");
        Assert.Equal(legacy.GetProperty("text").GetString(), string.Concat(lp.GetProperty("tokens").EnumerateArray().Select(t => t.GetString())));
        var i = 0;
        foreach (var alternatives in lp.GetProperty("top_logprobs").EnumerateArray())
        {
            var best = alternatives.EnumerateObject().MaxBy(p => p.Value.GetSingle());
            Assert.Equal(best.Name, lp.GetProperty("tokens")[i].GetString());
            Assert.Equal(best.Value.GetSingle(), lp.GetProperty("token_logprobs")[i++].GetSingle());
        }
        Assert.Equal(12, i);

        // Chat with a hard-coded model name: served, and the response names the model that answered.
        var chat = seen.GetProperty("chat");
        Assert.Equal(Server.ModelId, chat.GetProperty("model").GetString());
        Assert.Contains(Server.ModelId, chat.GetProperty("fingerprint").GetString());
        AssertChatLogprobs(chat.GetProperty("logprobs"), chat.GetProperty("text").GetString()!);
        var chatStream = seen.GetProperty("chatStream");
        Assert.Equal(chat.GetProperty("text").GetString(), chatStream.GetProperty("text").GetString());
        AssertChatLogprobs(chatStream.GetProperty("logprobs"), chatStream.GetProperty("text").GetString()!);

        var bad = seen.GetProperty("badLogprobs");
        Assert.Equal(400, bad.GetProperty("status").GetInt32());
        Assert.Equal("logprobs", bad.GetProperty("param").GetString());
    }

    /// <summary>OpenAI chat logprobs at temperature 0: one entry per token, the token first among its alternatives.</summary>
    internal static void AssertChatLogprobs(JsonElement content, string text)
    {
        Assert.True(content.GetArrayLength() > 0);
        var joined = new StringBuilder();
        foreach (var entry in content.EnumerateArray())
        {
            var token = entry.GetProperty("token").GetString()!;
            joined.Append(token);
            var top = entry.GetProperty("top_logprobs");
            Assert.Equal(3, top.GetArrayLength());
            Assert.Equal(token, top[0].GetProperty("token").GetString());
            Assert.Equal(entry.GetProperty("logprob").GetSingle(), top[0].GetProperty("logprob").GetSingle());
            Assert.True(top[0].GetProperty("logprob").GetSingle() >= top[1].GetProperty("logprob").GetSingle());
            Assert.Equal(Encoding.UTF8.GetBytes(token), entry.GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray());
        }
        Assert.Equal(text, joined.ToString());
    }

    [Theory]
    [InlineData("""{"prompt":[1,99999],"max_tokens":4}""", "prompt[1]", "invalid_value")]
    [InlineData("""{"prompt":[[1,2],[1,-3]],"max_tokens":4}""", "prompt[1][1]", "invalid_type")]
    [InlineData("""{"prompt":"Once","max_tokens":4,"logprobs":21}""", "logprobs", "invalid_value")]
    [InlineData("""{"prompt":[],"max_tokens":4}""", "prompt", "empty_array")]
    [InlineData("""{"max_tokens":4}""", "prompt", "missing_required_parameter")]
    [InlineData("""{"prompt":"Once","echo":true,"logprobs":2}""", "echo", "unsupported_parameter")]
    [InlineData("""{"prompt":"Once","suffix":"end"}""", "suffix", "unsupported_parameter")]
    [InlineData("""{"prompt":"Once","n":2}""", "n", "invalid_value")]
    [InlineData("""{"prompt":"Once","max_tokens":100000}""", "max_tokens", "invalid_value")]
    [InlineData("""{"prompt":"Once","logit_bias":{"99999":5}}""", "logit_bias.99999", "invalid_value")]
    [InlineData("""{"prompt":["Once",[1,2]]}""", "prompt[1]", "invalid_type")]
    public async Task BadInputIsAnOpenAiShaped400AndTheServerKeepsServing(string body, string param, string code)
    {
        using var http = Server.CreateHttpClient();
        using var bad = await http.PostAsync("v1/completions", Json(body));
        await ErrorAsync(bad, HttpStatusCode.BadRequest, param, code);
        using var streamedBad = await http.PostAsync("v1/completions", Json(body.Insert(1, "\"stream\":true,")));
        await ErrorAsync(streamedBad, HttpStatusCode.BadRequest, param, code);

        using var good = await http.PostAsync("v1/completions", Json("""{"prompt":"Once upon a time","max_tokens":4,"temperature":0}"""));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        using var document = JsonDocument.Parse(await good.Content.ReadAsStringAsync());
        Assert.Equal(OnceUponATime[..document.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!.Length], document.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
    }
}
