using Microsoft.Playwright;

namespace AgentHost.WebUi.Tests.Support;

/// <summary>What a person does on the page, as Playwright steps through its labels and roles.</summary>
public static class PageExtensions
{
    public static async Task OpenSettingsAsync(this IPage page)
    {
        if (!await page.Locator("#chat-settings").EvaluateAsync<bool>("d => d.open"))
            await page.GetByText("Settings for this conversation").ClickAsync();
    }

    public static async Task SetMaxTokensAsync(this IPage page, int maxTokens)
    {
        await page.OpenSettingsAsync();
        await page.GetByLabel("Max tokens").FillAsync(maxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static async Task SendAsync(this IPage page, string text)
    {
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
    }

    /// <summary>Waits until the turn is over: Send enabled again and no reply streaming.</summary>
    public static Task WaitForTurnEndAsync(this IPage page, int assistantMessages = 1, float timeoutMs = 60_000) =>
        page.WaitForFunctionAsync(
            "n => !document.getElementById('send').disabled && !document.querySelector('[data-streaming]') && document.querySelectorAll('article.message.assistant').length >= n",
            assistantMessages, new() { Timeout = timeoutMs });

    public static ILocator LastAssistant(this IPage page) => page.Locator("article.message.assistant").Last;

    /// <summary>Saves a PNG under docs/images of the repository (the README shows them).</summary>
    public static async Task ScreenshotToDocsAsync(this IPage page, string name)
    {
        var dir = Path.Combine(TestAssets.RepoRoot, "docs", "images");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name) });
    }
}
