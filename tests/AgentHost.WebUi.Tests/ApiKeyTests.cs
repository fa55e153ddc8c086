using AgentHost.WebUi.Tests.Support;
using Microsoft.Playwright;

namespace AgentHost.WebUi.Tests;

/// <summary>The API key: the page loads without it, asks for it on the first 401, says so clearly when it is wrong.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiKeyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AWrongKeyShowsAClearMessageAndTheRightOneConnects()
    {
        var page = await fixture.OpenPageAsync(fixture.Stories, withKey: false);
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API key" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("needs an API key");
        // The field has focus: a person types straight away.
        await Assertions.Expect(dialog.GetByLabel("API key")).ToBeFocusedAsync();

        await page.Keyboard.TypeAsync("sk-wrong");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("The server rejected the API key (invalid_api_key): Incorrect API key provided.");
        await Assertions.Expect(dialog).ToBeVisibleAsync();

        await dialog.GetByLabel("API key").FillAsync(WebUiServer.ApiKey);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync($"Connected · {fixture.Stories.Engine.ModelId}");
        // Kept for this tab only: in sessionStorage, never in localStorage.
        Assert.Equal(WebUiServer.ApiKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('agenthost.apiKey')"));
        Assert.False(await page.EvaluateAsync<bool>("k => Object.keys(localStorage).some(n => localStorage.getItem(n).includes(k))", WebUiServer.ApiKey));
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();
    }
}
