using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentHost.Llama.Embeddings;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>/health, /metrics, /v1/models, /v1/embeddings and /v1/plugins over real HTTP.</summary>
public partial class EndpointTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    [Fact]
    public async Task HealthIsOpenWithoutTheKey()
    {
        using var http = Server.CreateHttpClient(withKey: false);
        using var response = await http.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", document.RootElement.GetProperty("status").GetString());
        Assert.Equal(Server.ModelId, document.RootElement.GetProperty("model").GetString());
        Assert.Equal(4, document.RootElement.GetProperty("slots_idle").GetInt32() + document.RootElement.GetProperty("slots_processing").GetInt32());
    }

    [GeneratedRegex("""^([a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.eE+-]+|NaN)$""")]
    private static partial Regex SampleLine();

    /// <summary>Parses Prometheus text strictly: HELP and TYPE before each family, every sample line well-formed.</summary>
    private static Dictionary<string, double> ParsePrometheus(string text)
    {
        var samples = new Dictionary<string, double>();
        var typed = new HashSet<string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal)) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Contains(parts[3], new[] { "counter", "gauge" });
                typed.Add(parts[2]);
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: '{line}'");
            Assert.Contains(match.Groups[1].Value, typed);
            samples[match.Groups[1].Value + match.Groups[2].Value] = double.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture);
        }
        return samples;
    }

    private async Task<Dictionary<string, double>> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        return ParsePrometheus(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MetricsCountTokensCacheHitsSlotsAndRequests()
    {
        using var http = Server.CreateHttpClient();
        var before = await ScrapeAsync(http);
        foreach (var name in new[] { "agenthost_generation_tokens_per_second", "agenthost_queue_length", "agenthost_busy_slots", "agenthost_prompt_tokens_cached_total", "agenthost_slots" })
            Assert.Contains(name, before.Keys);
        Assert.Equal(4, before["agenthost_slots"]);

        // Two turns of one conversation: the second reuses the first's KV cache.
        const string turn1 = """[{"role":"user","content":"Tom had a little red car and he loved to play with it every day."}]""";
        using var first = await http.PostAsync("v1/chat/completions", Json($$"""{"messages":{{turn1}},"max_tokens":8,"temperature":0}"""));
        using var firstDoc = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var reply = Completion(firstDoc.RootElement, Server.ModelId)!;
        var turn2 = $$"""[{"role":"user","content":"Tom had a little red car and he loved to play with it every day."},{"role":"assistant","content":{{JsonSerializer.Serialize(reply)}}},{"role":"user","content":"Then what?"}]""";
        using var second = await http.PostAsync("v1/chat/completions", Json($$"""{"messages":{{turn2}},"max_tokens":8,"temperature":0}"""));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var after = await ScrapeAsync(http);
        Assert.True(after["agenthost_tokens_generated_total"] >= before["agenthost_tokens_generated_total"] + 16);
        Assert.True(after["agenthost_prompt_tokens_cached_total"] > before["agenthost_prompt_tokens_cached_total"]);
        Assert.True(after["agenthost_generation_tokens_per_second"] > 0);
        Assert.Equal(0, after["agenthost_queue_length"]);
        Assert.Equal(0, after["agenthost_busy_slots"]);
        var okKey = """agenthost_requests_total{endpoint="chat_completions",code="200"}""";
        Assert.True(after[okKey] >= before.GetValueOrDefault(okKey) + 2);
    }

    [Fact]
    public async Task ModelsListTheLoadedModelToRawHttpAndTheSdk()
    {
        using var http = Server.CreateHttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync("v1/models"));
        Assert.Equal("list", document.RootElement.GetProperty("object").GetString());
        var model = Assert.Single(document.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("stories260K", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());

        var sdkModels = (await RealClients.OpenAi(Server).GetOpenAIModelClient().GetModelsAsync()).Value;
        Assert.Equal("stories260K", Assert.Single(sdkModels).Id);

        using var one = await http.GetAsync("v1/models/stories260K");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        // Any name resolves to the served model unless Server:StrictModelNames (ModelNameTests).
        using var other = JsonDocument.Parse(await http.GetStringAsync("v1/models/gpt-4"));
        Assert.Equal("stories260K", other.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task EmbeddingsThroughTheSdkMatchTheModelsOwnGenerator()
    {
        var inputs = new[] { "Lily has a red ball.", "The dog ran to the park.", "Lily has a red ball." };
        var sdk = await RealClients.Embeddings(Server).GenerateAsync(inputs);
        var local = await Server.App.Services.GetRequiredService<LlamaEmbeddingGenerator>().GenerateAsync(inputs);
        var dims = Server.Engine.Model.Handle.EmbeddingLength;
        Assert.Equal(3, sdk.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            var v = sdk[i].Vector.Span;
            Assert.Equal(dims, v.Length);
            Assert.Equal(1.0, Math.Sqrt(Dot(v, v)), 4);
            // The SDK asked for base64; the bytes decode to exactly the generator's floats.
            Assert.True(v.SequenceEqual(local[i].Vector.Span));
        }
        Assert.True(sdk[0].Vector.Span.SequenceEqual(sdk[2].Vector.Span));
        Assert.True(Dot(sdk[0].Vector.Span, sdk[1].Vector.Span) < 0.9999);
        Assert.True(sdk.Usage?.InputTokenCount > 10);
    }

    [Fact]
    public async Task EmbeddingsAsFloatsEqualBase64()
    {
        using var http = Server.CreateHttpClient();
        using var floats = JsonDocument.Parse(await (await http.PostAsync("v1/embeddings", Json("""{"input":"A cat sat on the mat.","model":"stories260K"}"""))).Content.ReadAsStringAsync());
        using var base64 = JsonDocument.Parse(await (await http.PostAsync("v1/embeddings", Json("""{"input":["A cat sat on the mat."],"encoding_format":"base64"}"""))).Content.ReadAsStringAsync());
        Assert.Equal("list", floats.RootElement.GetProperty("object").GetString());
        var item = Assert.Single(floats.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        Assert.Equal(0, item.GetProperty("index").GetInt32());
        var vector = item.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var bytes = Convert.FromBase64String(base64.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        Assert.Equal(vector, decoded);
        Assert.Equal(floats.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), floats.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task PluginsAreListedAndInvoked()
    {
        using var http = Server.CreateHttpClient();
        using var list = JsonDocument.Parse(await http.GetStringAsync("v1/plugins"));
        var functions = list.RootElement.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("plugin").GetString() + "." + f.GetProperty("function").GetString()).ToList();
        Assert.Contains("math.add", functions);
        Assert.Contains("math.greet", functions);

        using var add = await http.PostAsync("v1/plugins/math/add", Json("""{"a":2,"b":40}"""));
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        using var addDoc = JsonDocument.Parse(await add.Content.ReadAsStringAsync());
        Assert.Equal(42, addDoc.RootElement.GetProperty("result").GetInt32());
        Assert.Equal("math", addDoc.RootElement.GetProperty("plugin").GetString());

        using var greet = await http.PostAsync("v1/plugins/math/greet", Json("""{"name":"Lily","shout":true}"""));
        using var greetDoc = JsonDocument.Parse(await greet.Content.ReadAsStringAsync());
        Assert.Equal("HELLO, LILY!", greetDoc.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task PluginErrorsAreOpenAiShaped()
    {
        using var http = Server.CreateHttpClient();
        using var unknown = await http.PostAsync("v1/plugins/math/divide", Json("""{"a":1,"b":2}"""));
        await ErrorAsync(unknown, HttpStatusCode.NotFound, code: "function_not_found");
        using var missing = await http.PostAsync("v1/plugins/math/add", Json("""{"a":1}"""));
        await ErrorAsync(missing, HttpStatusCode.BadRequest, code: "invalid_arguments");
        using var wrongType = await http.PostAsync("v1/plugins/math/add", Json("""{"a":"one","b":2}"""));
        await ErrorAsync(wrongType, HttpStatusCode.BadRequest, code: "invalid_arguments");
        using var notObject = await http.PostAsync("v1/plugins/math/add", Json("[1,2]"));
        await ErrorAsync(notObject, HttpStatusCode.BadRequest, code: "invalid_json");
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
