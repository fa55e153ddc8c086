using System.ClientModel;
using System.Net;
using System.Text.Json;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using static AgentHost.Server.Tests.Support.OpenAiAssert;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AgentHost.Server.Tests;

/// <summary>logprobs / top_logprobs on chat completions (OpenAI .NET SDK, raw SSE, MEAI directly), and timings and system_fingerprint.</summary>
public class ChatLogprobsTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    private static ChatCompletionOptions Options() => new() { Temperature = 0, MaxOutputTokenCount = 10, IncludeLogProbabilities = true, TopLogProbabilityCount = 4 };

    private static void AssertGreedyRanks(IReadOnlyList<ChatTokenLogProbabilityDetails> tokens, string text)
    {
        Assert.NotEmpty(tokens);
        Assert.Equal(text, string.Concat(tokens.Select(t => t.Token)));
        foreach (var token in tokens)
        {
            Assert.Equal(4, token.TopLogProbabilities.Count);
            // Temperature 0: the chosen token is the most likely one.
            Assert.Equal(token.Token, token.TopLogProbabilities[0].Token);
            Assert.Equal(token.LogProbability, token.TopLogProbabilities[0].LogProbability);
            Assert.True(token.LogProbability <= 0);
            for (var i = 1; i < 4; i++) Assert.True(token.TopLogProbabilities[i - 1].LogProbability >= token.TopLogProbabilities[i].LogProbability);
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(token.Token), token.Utf8Bytes!.Value.ToArray());
        }
    }

    [Fact]
    public async Task OpenAiSdkGetsLogprobsStreamingAndNot()
    {
        var chat = RealClients.OpenAi(Server).GetChatClient(Server.ModelId);
        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Lily had a red ball.")], Options());
        var text = completion.Content[0].Text;
        AssertGreedyRanks(completion.ContentTokenLogProbabilities, text);
        Assert.Equal(10, completion.ContentTokenLogProbabilities.Count);
        Assert.Contains(Server.ModelId, completion.SystemFingerprint);

        var streamed = new List<ChatTokenLogProbabilityDetails>();
        var streamedText = "";
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Lily had a red ball.")], Options()))
        {
            streamed.AddRange(update.ContentTokenLogProbabilities);
            foreach (var part in update.ContentUpdate) streamedText += part.Text;
        }
        Assert.Equal(text, streamedText);
        AssertGreedyRanks(streamed, streamedText);
        // Same tokens; the first may differ in the last digits, because the second request evaluates only the prompt's
        // last token (the rest is cached) and so runs the matrix products in a different batch shape.
        Assert.Equal(completion.ContentTokenLogProbabilities.Select(t => t.Token), streamed.Select(t => t.Token));
        Assert.All(completion.ContentTokenLogProbabilities.Zip(streamed), p => Assert.Equal(p.First.LogProbability, p.Second.LogProbability, 1e-3f));
    }

    [Fact]
    public async Task MeaiExposesLogprobsAndTimingsInAdditionalProperties()
    {
        var client = Server.App.Services.GetRequiredService<LlamaChatClient>();
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 6, AdditionalProperties = new() { [LlamaChatProperties.TopLogprobs] = 2 } };
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Tom saw a cat.")], options);
        var logprobs = Assert.IsAssignableFrom<IReadOnlyList<TokenLogprob>>(response.AdditionalProperties![LlamaChatProperties.Logprobs]);
        Assert.Equal(6, logprobs.Count);
        Assert.Equal(response.Text, string.Concat(logprobs.Select(l => l.Text)));
        Assert.All(logprobs, l => Assert.Equal(l.Token, l.TopLogprobs[0].Token));
        var timings = Assert.IsType<GenerationTimings>(response.AdditionalProperties[LlamaChatProperties.Timings]);
        Assert.Equal(6, timings.GeneratedTokens);

        var streamed = new List<TokenLogprob>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Tom saw a cat.")], options))
            if (update.AdditionalProperties?.TryGetValue(LlamaChatProperties.Logprobs, out var value) == true)
                streamed.AddRange((IReadOnlyList<TokenLogprob>)value!);
        Assert.Equal(logprobs.Select(l => l.Token), streamed.Select(l => l.Token));
        Assert.All(logprobs.Zip(streamed), p => Assert.Equal(p.First.Logprob, p.Second.Logprob, 1e-3f));
    }

    [Fact]
    public async Task TimingsAndFingerprintOnResponsesAndTheFinalChunk()
    {
        using var http = Server.CreateHttpClient();
        using var response = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":5,"temperature":0}"""));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Completion(document.RootElement, Server.ModelId);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("choices")[0].GetProperty("logprobs").ValueKind);
        var fingerprint = document.RootElement.GetProperty("system_fingerprint").GetString()!;
        Assert.Contains("agenthost", fingerprint);
        Assert.Contains("llama.cpp", fingerprint);
        Assert.Contains(Server.ModelId, fingerprint);
        var timings = document.RootElement.GetProperty("timings");
        Assert.Equal(5, timings.GetProperty("predicted_n").GetInt32());
        Assert.Equal(document.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), timings.GetProperty("prompt_n").GetInt32() + timings.GetProperty("cache_n").GetInt32());
        foreach (var name in new[] { "prompt_ms", "prompt_per_token_ms", "prompt_per_second", "predicted_ms", "predicted_per_token_ms", "predicted_per_second" })
            Assert.True(timings.GetProperty(name).GetDouble() >= 0, name);

        using var streamed = await http.PostAsync("v1/chat/completions", Json("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":5,"temperature":0,"stream":true,"logprobs":true,"top_logprobs":1}"""));
        var data = SseData(await streamed.Content.ReadAsStringAsync());
        using var last = JsonDocument.Parse(data[^2]);
        Assert.Equal("length", last.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(5, last.RootElement.GetProperty("timings").GetProperty("predicted_n").GetInt32());
        Assert.Equal(fingerprint, last.RootElement.GetProperty("system_fingerprint").GetString());
        var entries = 0;
        foreach (var payload in data[..^1])
        {
            using var chunk = JsonDocument.Parse(payload);
            var choices = chunk.RootElement.GetProperty("choices");
            if (choices.GetArrayLength() > 0 && choices[0].TryGetProperty("logprobs", out var lp)) entries += lp.GetProperty("content").GetArrayLength();
        }
        Assert.Equal(5, entries);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"logprobs":true,"top_logprobs":21}""", "top_logprobs")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"logprobs":true,"top_logprobs":-1}""", "top_logprobs")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"top_logprobs":2}""", "top_logprobs")]
    public async Task LogprobsOutOfRangeIsA400AndTheServerKeepsServing(string body, string param)
    {
        using var http = Server.CreateHttpClient();
        using var bad = await http.PostAsync("v1/chat/completions", Json(body));
        await ErrorAsync(bad, HttpStatusCode.BadRequest, param, "invalid_value");
        var chat = RealClients.OpenAi(Server).GetChatClient(Server.ModelId);
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 21 }));
        Assert.Equal(400, error.Status);
        ChatCompletion ok = await chat.CompleteChatAsync([new UserChatMessage("Hi")], Options());
        Assert.NotEmpty(ok.ContentTokenLogProbabilities);
    }
}
