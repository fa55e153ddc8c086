using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TranslationService;

namespace AgentHost.Plugins.Tests.Samples;

/// <summary>The TranslationService sample over real HTTP on 127.0.0.1, with stories260K as the model.</summary>
public sealed class TranslationServiceFixture : IAsyncLifetime
{
    public WebApplication App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = TranslationServiceApp.Build([
            "--urls", "http://127.0.0.1:0",
            "--Llama:ModelPath", TestAssets.Stories260K,
            "--Llama:ChatTemplate", "chatml",
            "--Llama:ContextSize", "2048",
            "--Llama:Backend", "Cpu",
            "--Llama:GpuLayers", "0",
            "--Llama:Threads", "2",
            "--Llama:Defaults:Temperature", "0",
            "--TranslationService:MaxTextCharacters", "2000",
            "--TranslationService:MaxBatchItems", "4",
            "--TranslationService:MaxRequestBodyBytes", "65536",
        ]);
        await App.StartAsync();
        Address = new Uri(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(3) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public class TranslationServiceTests(TranslationServiceFixture service) : IClassFixture<TranslationServiceFixture>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var response = await service.Http.PostAsync(path, Json(json));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public void ListensOnLoopbackOnly()
    {
        Assert.Equal("127.0.0.1", service.Address.Host);
        Assert.NotEqual(0, service.Address.Port);
    }

    [Fact]
    public async Task TranslateKeepsPlaceholdersAndMarkup()
    {
        var (status, body) = await PostAsync("/translate", """{"text": "Hello {name}, your <b>order</b> %s shipped.", "target_language": "zh", "source_language": "en", "formality": "formal"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var translation = body.GetProperty("translation").GetString()!;
        foreach (var span in new[] { "{name}", "<b>", "</b>", "%s" }) Assert.Contains(span, translation);
        Assert.Equal("en", body.GetProperty("source_language").GetString());
        Assert.Equal("zh", body.GetProperty("target_language").GetString());
        Assert.Equal(4, body.GetProperty("protected_spans").GetInt32());
        Assert.False(body.GetProperty("source_detected").GetBoolean());
    }

    [Fact]
    public async Task BatchTranslatesEveryItemInOrder()
    {
        var (status, body) = await PostAsync("/translate/batch", """{"texts": ["Good morning {user}.", "See <i>you</i>."], "target_language": "Chinese", "source_language": "English"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([0, 1], items.Select(i => i.GetProperty("index").GetInt32()));
        Assert.Contains("{user}", items[0].GetProperty("translation").GetString());
        Assert.Contains("<i>", items[1].GetProperty("translation").GetString());
    }

    [Fact]
    public async Task DetectIdentifiesChinese()
    {
        var (status, body) = await PostAsync("/detect", """{"text": "你好，我想查询我的订单状态。"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("zh", body.GetProperty("language").GetString());
        Assert.Equal("heuristic", body.GetProperty("method").GetString());
        Assert.True(body.GetProperty("confidence").GetDouble() >= 0.8);
    }

    [Theory]
    [InlineData("/translate", """{"text": "", "target_language": "zh"}""", "text: must not be empty")]
    [InlineData("/translate", """{"text": "   ", "target_language": "zh"}""", "text: must not be empty")]
    [InlineData("/translate", """{"target_language": "zh"}""", "text: must not be empty")]
    [InlineData("/translate", """{"text": "Hi", "target_language": "xx"}""", "target_language: unknown language 'xx'; supported: en, zh, zh-Hant")]
    [InlineData("/translate", """{"text": "Hi", "target_language": "zh", "source_language": "elvish"}""", "source_language: unknown language 'elvish'")]
    [InlineData("/translate", """{"text": "Hi"}""", "target_language: must name a language")]
    [InlineData("/translate", """{"text": "Hi", "target_language": "zh", "formality": "royal"}""", "formality: must be one of default, formal, informal (was 'royal')")]
    [InlineData("/translate", """{"text": "Hi", "target_language": "zh", "glossary": {"": "x"}}""", "glossary: entry 1 has an empty source term")]
    [InlineData("/translate/batch", """{"texts": [], "target_language": "zh"}""", "texts: must hold at least one text")]
    [InlineData("/translate/batch", """{"texts": ["a", "b", "c", "d", "e"], "target_language": "zh"}""", "texts: holds 5 texts; the limit is 4")]
    [InlineData("/translate/batch", """{"texts": ["ok", ""], "target_language": "zh"}""", "texts[1]: must not be empty")]
    [InlineData("/detect", """{"text": ""}""", "text: must not be empty")]
    public async Task BadRequestsGet400NamingTheProblem(string path, string json, string detail)
    {
        var (status, body) = await PostAsync(path, json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.StartsWith(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OversizedTextGets400WithTheLimit()
    {
        var (status, body) = await PostAsync("/translate", JsonSerializer.Serialize(new { text = new string('a', 2001), target_language = "zh" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("text: is 2,001 characters; the limit is 2,000", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnOversizedBodyGets413()
    {
        var (status, body) = await PostAsync("/translate", JsonSerializer.Serialize(new { text = new string('a', 70_000), target_language = "zh" }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task MalformedJsonGets400SayingWhy()
    {
        var (status, body) = await PostAsync("/translate", "{\"text\": \"Hi\", ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("JSON", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ServesAnOpenApiDocumentForTheEndpoints()
    {
        var document = await service.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/translate", "/translate/batch", "/detect" })
        {
            var post = paths.GetProperty(path).GetProperty("post");
            Assert.True(post.GetProperty("responses").TryGetProperty("200", out _));
            Assert.True(post.GetProperty("responses").TryGetProperty("400", out _));
        }
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("TranslateRequest").GetProperty("properties").TryGetProperty("target_language", out _));
    }
}
