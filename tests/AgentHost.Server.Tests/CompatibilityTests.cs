using System.Net;
using System.Text.Json;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Embeddings;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>
/// What clients written for llama-server use, over plain HTTP on stories260K: routes without /v1, /tokenize,
/// /detokenize, /apply-template, /props, and token-id embedding inputs.
/// </summary>
public class CompatibilityTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    [Fact]
    public async Task TheOpenAiRoutesAnswerWithoutV1()
    {
        using var http = Server.CreateHttpClient();
        const string chat = """{"messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":6,"temperature":0}""";
        using var withV1 = await http.PostAsync("v1/chat/completions", Json(chat));
        using var without = await http.PostAsync("chat/completions", Json(chat));
        using var a = JsonDocument.Parse(await withV1.Content.ReadAsStringAsync());
        using var b = JsonDocument.Parse(await without.Content.ReadAsStringAsync());
        Assert.Equal(Completion(a.RootElement, Server.ModelId), Completion(b.RootElement, Server.ModelId));

        const string completion = """{"prompt":"Once upon a time","max_tokens":6,"temperature":0}""";
        using var c1 = JsonDocument.Parse(await (await http.PostAsync("v1/completions", Json(completion))).Content.ReadAsStringAsync());
        using var c2 = JsonDocument.Parse(await (await http.PostAsync("completions", Json(completion))).Content.ReadAsStringAsync());
        Assert.Equal(c1.RootElement.GetProperty("choices")[0].GetProperty("text").GetString(), c2.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());

        using var embeddings = await http.PostAsync("embeddings", Json("""{"input":"Lily"}"""));
        Assert.Equal(HttpStatusCode.OK, embeddings.StatusCode);
        using var models = JsonDocument.Parse(await http.GetStringAsync("models"));
        Assert.Equal(Server.ModelId, models.RootElement.GetProperty("data")[0].GetProperty("id").GetString());
        using var model = JsonDocument.Parse(await http.GetStringAsync($"models/{Server.ModelId}"));
        Assert.Equal(Server.ModelId, model.RootElement.GetProperty("id").GetString());

        // The key still guards the short paths.
        using var anonymous = Server.CreateHttpClient(withKey: false);
        await ErrorAsync(await anonymous.PostAsync("completions", Json(completion)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TokenizeDetokenizeRoundTripWithPieces()
    {
        using var http = Server.CreateHttpClient();
        const string text = "Lily saw a big red ball.";
        using var plain = JsonDocument.Parse(await (await http.PostAsync("tokenize", Json($$"""{"content":"{{text}}"}"""))).Content.ReadAsStringAsync());
        var ids = plain.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        Assert.Equal(Server.Engine.Model.Tokenize(text, false, true), ids);
        using var withBos = JsonDocument.Parse(await (await http.PostAsync("tokenize", Json($$"""{"content":"{{text}}","add_special":true}"""))).Content.ReadAsStringAsync());
        Assert.Equal([1, .. ids], withBos.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray());

        using var pieces = JsonDocument.Parse(await (await http.PostAsync("tokenize", Json($$"""{"content":"{{text}}","with_pieces":true}"""))).Content.ReadAsStringAsync());
        var entries = pieces.RootElement.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(ids, entries.Select(e => e.GetProperty("id").GetInt32()));
        // SentencePiece writes the word-leading space into the piece.
        Assert.Equal(" " + text, string.Concat(entries.Select(e => e.GetProperty("piece").GetString())));

        using var back = JsonDocument.Parse(await (await http.PostAsync("detokenize", Json($$"""{"tokens":{{JsonSerializer.Serialize(ids)}}}"""))).Content.ReadAsStringAsync());
        // llama_detokenize drops the space SentencePiece put before the first word: the text round-trips.
        Assert.Equal(text, back.RootElement.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("detokenize", """{"tokens":[1,512]}""", "tokens[1]", "invalid_value")]
    [InlineData("detokenize", """{"tokens":[1,"x"]}""", "tokens[1]", "invalid_type")]
    [InlineData("detokenize", """{}""", "tokens", "missing_required_parameter")]
    [InlineData("tokenize", """{}""", "content", "missing_required_parameter")]
    [InlineData("apply-template", """{"messages":[]}""", "messages", "empty_array")]
    [InlineData("v1/embeddings", """{"input":[1,2,512]}""", "input[0][2]", "invalid_value")]
    [InlineData("v1/embeddings", """{"input":[[1,2],[]]}""", "input[1]", "empty_array")]
    [InlineData("v1/embeddings", """{"input":[[1,2],"x"]}""", "input[1]", "invalid_type")]
    [InlineData("v1/embeddings", """{"input":[1.5]}""", "input[0]", "invalid_type")]
    public async Task BadInputIsAnOpenAiShaped400AndTheServerKeepsServing(string path, string body, string param, string code)
    {
        using var http = Server.CreateHttpClient();
        await ErrorAsync(await http.PostAsync(path, Json(body)), HttpStatusCode.BadRequest, param, code);
        using var good = await http.PostAsync("detokenize", Json("""{"tokens":[1,400]}"""));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task ApplyTemplateAnswersThePromptTheChatFormatterRenders()
    {
        using var http = Server.CreateHttpClient();
        using var response = await http.PostAsync("apply-template", Json("""{"messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"Hi"}]}"""));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var prompt = document.RootElement.GetProperty("prompt").GetString();
        var expected = Server.App.Services.GetRequiredService<LlamaChatClient>().RenderPrompt([new ChatMessage(ChatRole.System, "Be kind."), new ChatMessage(ChatRole.User, "Hi")]).Text;
        Assert.Equal(expected, prompt);
        Assert.Equal("<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public async Task PropsDescribeModelTemplateContextAndSlots()
    {
        using var http = Server.CreateHttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync("props"));
        var props = document.RootElement;
        Assert.Equal(Server.ModelId, props.GetProperty("model").GetString());
        Assert.Equal(256, props.GetProperty("n_ctx").GetInt32());
        Assert.Equal(4, props.GetProperty("total_slots").GetInt32());
        Assert.Equal(512, props.GetProperty("n_vocab").GetInt32());
        Assert.Equal("chatml", props.GetProperty("chat_template").GetString());
        Assert.Equal("<s>", props.GetProperty("bos_token").GetString());
        Assert.Equal(0, props.GetProperty("default_generation_settings").GetProperty("temperature").GetDouble());
        Assert.EndsWith(".gguf", props.GetProperty("model_path").GetString());
    }

    [Fact]
    public async Task EmbeddingsOfTokenIdsEqualThoseOfTheSameText()
    {
        using var http = Server.CreateHttpClient();
        var texts = new[] { "Lily has a red ball.", "The dog ran." };
        var ids = texts.Select(t => Server.Engine.Model.Tokenize(t, true, false)).ToArray();
        var local = await Server.App.Services.GetRequiredService<LlamaEmbeddingGenerator>().GenerateAsync(texts);

        using var many = JsonDocument.Parse(await (await http.PostAsync("v1/embeddings", Json($$"""{"input":{{JsonSerializer.Serialize(ids)}}}"""))).Content.ReadAsStringAsync());
        using var one = JsonDocument.Parse(await (await http.PostAsync("v1/embeddings", Json($$"""{"input":{{JsonSerializer.Serialize(ids[0])}}}"""))).Content.ReadAsStringAsync());
        for (var i = 0; i < texts.Length; i++)
        {
            var vector = many.RootElement.GetProperty("data")[i].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(local[i].Vector.ToArray(), vector);
        }
        Assert.Equal(local[0].Vector.ToArray(), one.RootElement.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        Assert.Equal(ids.Sum(t => t.Length), many.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }
}
