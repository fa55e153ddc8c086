using System.Text.Json;
using AgentHost.WebUi.Tests.Support;
using Microsoft.Playwright;

namespace AgentHost.WebUi.Tests;

/// <summary>
/// Agents in the page: chosen under "Talk to", chatted with over the real /v1/responses (streamed typed events), the
/// conversation chained on the server by previous_response_id and kept across a reload, the agent's server-side tool
/// calls and results shown, and approval requests answered with Approve / Reject. The test agents run on the
/// synthetic Qwen model (<see cref="TestModels.QwenWithAgents"/>): forced tool calls, small token caps.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentChatTests(BrowserFixture fixture)
{
    private sealed record Snapshot(int Length, bool Streaming);

    [Fact]
    public async Task AgentReplyStreamsAndTheConversationContinuesAfterAReload()
    {
        var server = await fixture.QwenAsync();
        using var http = server.CreateHttpClient();
        var page = await fixture.OpenPageAsync(server);
        await page.GetByLabel("Talk to").SelectOptionAsync(new SelectOptionValue { Label = "Agent: storyteller" });
        await Assertions.Expect(page.Locator("#chat-target-about")).ToHaveTextAsync("Tells short stories.");
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
        await page.SendAsync("Tell me a story.");
        await page.WaitForTurnEndAsync();

        var reply = page.LastAssistant();
        await Assertions.Expect(reply.Locator(".message-role")).ToHaveTextAsync("Agent · storyteller");
        var final = (await reply.Locator(".content").TextContentAsync())!;
        Assert.False(string.IsNullOrWhiteSpace(final));
        var snapshots = JsonSerializer.Deserialize<Snapshot[]>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__snapshots)"), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var whileStreaming = snapshots.Where(s => s.Streaming && s.Length > 0).Select(s => s.Length).Distinct().ToList();
        Assert.True(whileStreaming.Count >= 3, $"partial lengths seen while streaming: {string.Join(",", whileStreaming)}");
        Assert.True(whileStreaming.Zip(whileStreaming.Skip(1)).All(p => p.First < p.Second), string.Join(",", whileStreaming));
        // What the page put together from the deltas is the text of the stored response.
        var first = await PreviousResponseIdAsync(page);
        using (var stored = JsonDocument.Parse(await http.GetStringAsync($"v1/responses/{first}")))
        {
            Assert.Equal("agent:storyteller", stored.RootElement.GetProperty("model").GetString());
            var message = stored.RootElement.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "message");
            var kept = await page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('agenthost.conversation.' + localStorage.getItem('agenthost.currentConversation'))).messages.at(-1).content");
            Assert.Equal(message.GetProperty("content")[0].GetProperty("text").GetString(), kept);
        }

        // After a reload the conversation is back with its agent, and the next turn continues it on the server.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("Talk to")).ToHaveValueAsync("agent:storyteller");
        await Assertions.Expect(page.LastAssistant().Locator(".content")).ToHaveTextAsync(final);
        await page.SendAsync("And then?");
        await page.WaitForTurnEndAsync(assistantMessages: 2);
        var second = await PreviousResponseIdAsync(page);
        Assert.NotEqual(first, second);
        using (var stored = JsonDocument.Parse(await http.GetStringAsync($"v1/responses/{second}")))
            Assert.Equal(first, stored.RootElement.GetProperty("previous_response_id").GetString());
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AgentsToolCallAndItsResultAreShown()
    {
        var server = await fixture.QwenAsync();
        var before = WeatherPlugin.Calls.Count;
        var page = await fixture.OpenPageAsync(server);
        await page.GetByLabel("Talk to").SelectOptionAsync(new SelectOptionValue { Label = "Agent: weather" });
        await page.SendAsync("What is the weather in Paris?");
        await page.WaitForFunctionAsync("() => !document.getElementById('send').disabled && !document.querySelector('[data-streaming]') && document.querySelector('article.message.tool')", null, new() { Timeout = 90_000 });

        // The call the agent made on the server, and its result, in that order.
        var call = page.Locator("article.message.assistant .tool-call").First;
        await Assertions.Expect(call.Locator(".tool-name")).ToHaveTextAsync("Weather_GetWeather");
        using var args = JsonDocument.Parse((await call.Locator(".tool-arguments").TextContentAsync())!);
        var city = args.RootElement.GetProperty("city").GetString();
        Assert.Contains(city, new[] { "Paris", "Tokyo", "Lima" });
        var result = page.Locator("article.message.tool").First;
        await Assertions.Expect(result).ToContainTextAsync($"Forecast for {city}: sunny, 21 degrees");
        await Assertions.Expect(result.Locator(".message-role")).ToHaveTextAsync("Tool result · Weather_GetWeather");
        Assert.Contains(Enum.Parse<City>(city!), WeatherPlugin.Calls.Skip(before));
        var order = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#messages article')].map(a => a.className)");
        Assert.True(Array.FindIndex(order, c => c.Contains("assistant", StringComparison.Ordinal)) < Array.FindIndex(order, c => c.Contains("tool", StringComparison.Ordinal)), string.Join(" | ", order));
        // The agent's tools are the server's: the page's own tool settings are not offered for it.
        await page.OpenSettingsAsync();
        await Assertions.Expect(page.GetByLabel("Max tokens")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tool-fieldset")).ToBeHiddenAsync();
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnApprovedCallRunsAndARejectedOneDoesNot()
    {
        var server = await fixture.QwenAsync();
        var page = await fixture.OpenPageAsync(server);
        await page.GetByLabel("Talk to").SelectOptionAsync(new SelectOptionValue { Label = "Agent: refunds" });

        // Approved: the tool runs on the server and its result is shown.
        var before = LedgerPlugin.Refunds.Count;
        await page.SendAsync("My order arrived damaged, refund it.");
        var approval = await PendingApprovalAsync(page);
        Assert.Equal(before, LedgerPlugin.Refunds.Count); // nothing runs before the answer
        await page.ScreenshotToDocsAsync("webui-agent.png");
        await approval.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(approval.GetByRole(AriaRole.Status)).ToHaveTextAsync("Approved: the agent runs it.");
        await Assertions.Expect(approval.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        var result = page.Locator("article.message.tool").First;
        await Assertions.Expect(result).ToContainTextAsync("Refund issued (");
        await WaitForTurnEndAsync(page);
        Assert.Equal(before + 1, LedgerPlugin.Refunds.Count);
        Assert.Contains(LedgerPlugin.Refunds.Last().ToString(), (await result.TextContentAsync())!);

        // Rejected, later in the same conversation: the tool never runs, the agent is told so. (Its tool choice is
        // "required", so after a result it usually asks again at once; if not, the next message makes it.)
        if (await page.Locator("article.message.approval[data-state=pending]").CountAsync() == 0) await page.SendAsync("And my late order.");
        approval = await PendingApprovalAsync(page);
        before = LedgerPlugin.Refunds.Count;
        await approval.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Assertions.Expect(approval.GetByRole(AriaRole.Status)).ToHaveTextAsync("Rejected: the agent is told it may not.");
        await Assertions.Expect(page.Locator("article.message.tool")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("article.message.tool").Nth(1)).ToContainTextAsync("declined");
        await WaitForTurnEndAsync(page);
        Assert.Equal(before, LedgerPlugin.Refunds.Count);

        // The answers stay answered after a reload; a new chat keeps talking to the same agent.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("article.message.approval[data-state=approved]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("article.message.approval[data-state=rejected]")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "New chat" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Talk to")).ToHaveValueAsync("agent:refunds");
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();

        static async Task<ILocator> PendingApprovalAsync(IPage page)
        {
            var approval = page.Locator("article.message.approval[data-state=pending]").First;
            await Assertions.Expect(approval).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await WaitForTurnEndAsync(page);
            await Assertions.Expect(approval).ToHaveAccessibleNameAsync("Approval needed · Ledger_IssueRefund");
            using var args = JsonDocument.Parse((await approval.Locator(".tool-arguments").TextContentAsync())!);
            Assert.Contains(args.RootElement.GetProperty("reason").GetString(), Enum.GetNames<RefundReason>());
            // Pinned: the pending one stays the same element once it is answered.
            var id = await approval.GetAttributeAsync("data-request-id");
            return page.Locator($"article.message.approval[data-request-id='{id}']");
        }
    }

    private static Task WaitForTurnEndAsync(IPage page) =>
        page.WaitForFunctionAsync("() => !document.getElementById('send').disabled && !document.querySelector('[data-streaming]')", null, new() { Timeout = 90_000 });

    private static Task<string> PreviousResponseIdAsync(IPage page) =>
        page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('agenthost.conversation.' + localStorage.getItem('agenthost.currentConversation'))).previousResponseId");
}
