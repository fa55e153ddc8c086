using System.Net;
using System.Text.Json;
using AgentHost.Llama.Chat;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>Server:StrictModelNames with aliases, and a configured chat template that is not valid Jinja, each on a server of its own.</summary>
public class ModelNameTests
{
    [Fact]
    public async Task StrictNamesAcceptTheIdAndAliasesOnly()
    {
        var settings = TestModels.Stories(parallel: 1);
        settings["Server:StrictModelNames"] = "true";
        settings["Server:ModelAliases:0"] = "gpt-3.5-turbo";
        settings["Server:ModelAliases:1"] = "tiny";
        await using var server = await LoopbackServer.StartAsync(settings);
        using var http = server.CreateHttpClient();

        foreach (var name in new[] { "stories260K", "gpt-3.5-turbo", "tiny" })
        {
            using var ok = await http.PostAsync("v1/chat/completions", Json($$"""{"model":"{{name}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":2}"""));
            using var document = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
            Assert.Equal("stories260K", Completion(document.RootElement, "stories260K") is not null ? document.RootElement.GetProperty("model").GetString() : null);
        }
        foreach (var (path, body) in new[]
        {
            ("v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""),
            ("v1/completions", """{"model":"gpt-4o","prompt":"Hi"}"""),
            ("v1/embeddings", """{"model":"gpt-4o","input":"Hi"}"""),
        })
        {
            var error = await ErrorAsync(await http.PostAsync(path, Json(body)), HttpStatusCode.NotFound, "model", "model_not_found");
            Assert.Contains("gpt-4o", error.GetProperty("message").GetString());
            Assert.Contains("gpt-3.5-turbo", error.GetProperty("message").GetString());
        }
        await ErrorAsync(await http.GetAsync("v1/models/gpt-4o"), HttpStatusCode.NotFound, "model", "model_not_found");
        var sdk = RealClients.OpenAi(server).GetChatClient("no-such-model");
        var sdkError = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => sdk.CompleteChatAsync([new OpenAI.Chat.UserChatMessage("hi")]));
        Assert.Equal(404, sdkError.Status);
        Assert.Contains("no-such-model", sdkError.Message);
        using var alias = JsonDocument.Parse(await http.GetStringAsync("v1/models/tiny"));
        Assert.Equal("stories260K", alias.RootElement.GetProperty("id").GetString());
        using var list = JsonDocument.Parse(await http.GetStringAsync("v1/models"));
        Assert.Equal(["gpt-3.5-turbo", "tiny"], list.RootElement.GetProperty("data")[0].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));

        // Still serving after the refusals.
        using var after = await http.PostAsync("v1/completions", Json("""{"model":"tiny","prompt":"Once upon a time","max_tokens":3}"""));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData("{% for m in messages %}{{ m.content }\n", "line 1, column")]
    [InlineData("{{ messages[0].content }}\n{% if x %}", "line 2")]
    [InlineData("not-a-template", "neither a built-in name nor Jinja")]
    public async Task ABadConfiguredTemplateFailsTheStartNamingWhere(string template, string expected)
    {
        var settings = TestModels.Stories(parallel: 1);
        settings["Llama:ChatTemplate"] = template;
        var error = await Assert.ThrowsAsync<ChatTemplateException>(() => LoopbackServer.StartAsync(settings));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task AConfiguredJinjaTemplateIsUsed()
    {
        var settings = TestModels.Stories(parallel: 1);
        settings["Llama:ChatTemplate"] = "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}";
        await using var server = await LoopbackServer.StartAsync(settings);
        using var http = server.CreateHttpClient();
        using var document = JsonDocument.Parse(await (await http.PostAsync("apply-template", Json("""{"messages":[{"role":"user","content":"Hi"}]}"""))).Content.ReadAsStringAsync());
        Assert.Equal("[user] Hi\n[assistant] ", document.RootElement.GetProperty("prompt").GetString());
    }
}
