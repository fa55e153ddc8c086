using System.Globalization;
using System.Text.Json;
using AgentHost.WebUi.Tests.Support;
using Microsoft.Playwright;

namespace AgentHost.WebUi.Tests;

/// <summary>Model chat in a real chromium against the real server and model: streaming, Stop, tool calls, reload, untrusted text.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatPageTests(BrowserFixture fixture)
{
    private sealed record Snapshot(int Length, bool Streaming);

    [Fact]
    public async Task StreamedReplyGrowsTokenByToken()
    {
        var page = await fixture.OpenPageAsync(fixture.Stories);
        await page.SetMaxTokensAsync(96);
        // Every change of the reply's DOM, recorded in the page as it happens: its text length and whether the
        // reply is still streaming.
        await page.EvaluateAsync("""
            () => {
              window.__snapshots = [];
              const log = document.getElementById('messages');
              new MutationObserver(() => {
                const reply = [...log.querySelectorAll('article.message.assistant')].pop();
                if (reply) window.__snapshots.push({ length: reply.querySelector('.content').textContent.length, streaming: reply.hasAttribute('data-streaming') });
              }).observe(log, { subtree: true, childList: true, characterData: true, attributes: true });
            }
            """);
        await page.SendAsync("Once upon a time");
        await page.WaitForTurnEndAsync();

        var snapshots = JsonSerializer.Deserialize<Snapshot[]>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__snapshots)"), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var final = (await page.LastAssistant().Locator(".content").TextContentAsync())!;
        Assert.True(final.Length > 40, $"reply: {final}");
        var whileStreaming = snapshots.Where(s => s.Streaming && s.Length > 0).Select(s => s.Length).Distinct().ToList();
        // The text grew through several partial states before the end, never shrinking.
        Assert.True(whileStreaming.Count >= 3, $"partial lengths seen while streaming: {string.Join(",", whileStreaming)}");
        Assert.True(whileStreaming.Zip(whileStreaming.Skip(1)).All(p => p.First < p.Second), string.Join(",", whileStreaming));
        Assert.True(whileStreaming[0] < final.Length);
        // The finished reply says how many tokens it had (from the stream's timings).
        await Assertions.Expect(page.LastAssistant().Locator(".message-note")).ToContainTextAsync("tokens");
        Assert.Empty(fixture.PageErrors[page]);
        await page.GetByText("Settings for this conversation").ClickAsync(); // closed, for the picture
        await page.ScreenshotToDocsAsync("webui-chat.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StopCancelsTheGenerationAndFreesTheSlot()
    {
        var server = await fixture.QwenAsync();
        using var http = server.CreateHttpClient();
        var page = await fixture.OpenPageAsync(server);
        await page.SetMaxTokensAsync(1500);
        await page.SendAsync("Tell me a very long story.");
        // Streaming, and the server's slot busy.
        await page.WaitForFunctionAsync("() => (document.querySelector('[data-streaming] .content')?.textContent.length ?? 0) > 20");
        Assert.Equal(1, await SlotsProcessingAsync(http));

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await page.WaitForTurnEndAsync();
        await Assertions.Expect(page.LastAssistant().Locator(".message-note")).ToContainTextAsync("Stopped.");

        // The server cancelled the generation: busy slots back to 0 (health and metrics), and the token count stops
        // short of max_tokens and stays there.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await SlotsProcessingAsync(http) != 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, await SlotsProcessingAsync(http));
        Assert.Equal(0, await MetricAsync(http, "agenthost_busy_slots"));
        var generated = await MetricAsync(http, "agenthost_tokens_generated_total");
        await Task.Delay(500);
        Assert.Equal(generated, await MetricAsync(http, "agenthost_tokens_generated_total"));
        Assert.True(generated < 1500, $"{generated} tokens generated");
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ToolCallAndResultAreShownAndTheReplyContinues()
    {
        var server = await fixture.QwenAsync();
        var before = WeatherPlugin.Calls.Count;
        var page = await fixture.OpenPageAsync(server);
        await page.SetMaxTokensAsync(100);
        await page.GetByLabel("Weather.GetWeather").CheckAsync();
        await page.GetByLabel("Require a tool call").CheckAsync();
        await page.SendAsync("What is the weather in Paris?");
        await page.WaitForTurnEndAsync(assistantMessages: 2, timeoutMs: 90_000);

        // The call the model made, as it was streamed, and the result the page got from the kernel function.
        var call = page.Locator("article.message.assistant .tool-call").First;
        await Assertions.Expect(call.Locator(".tool-name")).ToHaveTextAsync("Weather-GetWeather");
        using var args = JsonDocument.Parse((await call.Locator(".tool-arguments").TextContentAsync())!);
        var city = args.RootElement.GetProperty("city").GetString();
        Assert.Contains(city, new[] { "Paris", "Tokyo", "Lima" });
        var result = page.Locator("article.message.tool").First;
        await Assertions.Expect(result).ToContainTextAsync($"Forecast for {city}: sunny, 21 degrees");
        await Assertions.Expect(result.Locator(".message-role")).ToContainTextAsync("Weather-GetWeather");
        Assert.True(WeatherPlugin.Calls.Count > before, "the page ran the kernel function");
        Assert.Contains(Enum.Parse<City>(city!), WeatherPlugin.Calls.Skip(before));
        // After the result went back as a tool message the model answered again, and the result is before it.
        var order = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#messages article')].map(a => a.className)");
        var toolAt = Array.FindIndex(order, c => c.Contains("tool", StringComparison.Ordinal));
        Assert.True(toolAt > 0 && order.Skip(toolAt + 1).Any(c => c.Contains("assistant", StringComparison.Ordinal)), string.Join(" | ", order));
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ReloadKeepsTheConversationAndSessionsAreResumable()
    {
        var page = await fixture.OpenPageAsync(fixture.Stories);
        await page.SetMaxTokensAsync(24);
        await page.SendAsync("Once upon a time there was a cat");
        await page.WaitForTurnEndAsync();
        var reply = (await page.LastAssistant().Locator(".content").TextContentAsync())!;
        Assert.False(string.IsNullOrWhiteSpace(reply));

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("article.message.user")).ToHaveTextAsync(new[] { "YouOnce upon a time there was a cat" });
        await Assertions.Expect(page.LastAssistant().Locator(".content")).ToHaveTextAsync(reply);
        // Its settings came back with it.
        await page.OpenSettingsAsync();
        await Assertions.Expect(page.GetByLabel("Max tokens")).ToHaveValueAsync("24");

        // A new chat, then the first one again from the sidebar.
        await page.GetByRole(AriaRole.Button, new() { Name = "New chat" }).ClickAsync();
        await Assertions.Expect(page.Locator("article.message")).ToHaveCountAsync(0);
        await page.Locator("#session-list").GetByText("Once upon a time there was a cat").ClickAsync();
        await Assertions.Expect(page.LastAssistant().Locator(".content")).ToHaveTextAsync(reply);
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HtmlInAReplyIsShownAsTextAndNeverRun()
    {
        const string Untrusted = "<script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\"> <b onclick=\"window.__pwned = 3\">x</b> [link](javascript:window.__pwned=4) and **bold**";
        var page = await fixture.OpenPageAsync(fixture.Stories);
        await page.SendAsync(EchoChatClient.Prefix + " " + Untrusted);
        await page.WaitForTurnEndAsync();

        await AssertShownAsTextAsync(page);
        // The same from the saved history after a reload.
        await page.ReloadAsync();
        await Assertions.Expect(page.LastAssistant().Locator(".content")).ToContainTextAsync("<script>");
        await AssertShownAsTextAsync(page);
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();

        static async Task AssertShownAsTextAsync(IPage page)
        {
            var content = page.LastAssistant().Locator(".content");
            var text = (await content.TextContentAsync())!;
            Assert.Contains("<script>window.__pwned = 1</script>", text, StringComparison.Ordinal);
            Assert.Contains("<img src=x onerror=\"window.__pwned = 2\">", text, StringComparison.Ordinal);
            Assert.Contains("<b onclick=\"window.__pwned = 3\">", text, StringComparison.Ordinal);
            Assert.Equal(0, await content.Locator("script, img, b, [onclick], [onerror], a[href^='javascript']").CountAsync());
            // Markdown itself is rendered.
            await Assertions.Expect(content.Locator("strong")).ToHaveTextAsync("bold");
            Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
            await content.Locator("strong").ClickAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        }
    }

    private static async Task<int> SlotsProcessingAsync(HttpClient http)
    {
        using var health = JsonDocument.Parse(await http.GetStringAsync("health"));
        return health.RootElement.GetProperty("slots_processing").GetInt32();
    }

    private static async Task<double> MetricAsync(HttpClient http, string name)
    {
        var line = (await http.GetStringAsync("metrics")).Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
