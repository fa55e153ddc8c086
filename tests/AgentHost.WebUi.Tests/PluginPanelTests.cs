using System.Text.RegularExpressions;
using AgentHost.WebUi.Tests.Support;
using Microsoft.Playwright;

namespace AgentHost.WebUi.Tests;

/// <summary>The plugin panel: the form made from a kernel function's schema, the call, the structured result.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PluginPanelTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AFunctionRunsFromItsSchemaFormAndItsResultIsShown()
    {
        var page = await fixture.OpenPageAsync(fixture.Stories, viewport: new ViewportSize { Width = 1280, Height = 1280 });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Plugins" }).ClickAsync();
        // One view at a time.
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel, new() { Name = "Plugins" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel, new() { Name = "Chat" })).ToBeHiddenAsync();
        var select = page.GetByLabel("Kernel function");
        // The AgentHost plugins are listed beside the test's.
        await Assertions.Expect(select.Locator("option", new() { HasTextRegex = new Regex("^Writing\\.Proofread$") })).ToHaveCountAsync(1);
        await Assertions.Expect(select.Locator("option", new() { HasTextRegex = new Regex("^Translation\\.Translate$") })).ToHaveCountAsync(1);
        await select.SelectOptionAsync(new SelectOptionValue { Label = "Demo.ApplyGlossary" });
        await Assertions.Expect(page.Locator("#plugin-description")).ToContainTextAsync("glossary term");

        var form = page.Locator("#plugin-form");
        await form.GetByLabel("text").FillAsync("The cat sat on the mat. The cat slept.");
        // An array of objects: one row per glossary entry.
        await form.GetByRole(AriaRole.Button, new() { Name = "Add glossary row" }).ClickAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Add glossary row" }).ClickAsync();
        var rows = form.GetByRole(AriaRole.Group, new() { Name = "glossary row" });
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await rows.Nth(0).GetByLabel("term").FillAsync("cat");
        await rows.Nth(0).GetByLabel("translation").FillAsync("chat");
        await rows.Nth(1).GetByLabel("term").FillAsync("mat");
        await rows.Nth(1).GetByLabel("translation").FillAsync("tapis");
        await form.GetByLabel("caseSensitive").CheckAsync();
        await form.GetByLabel("tone").SelectOptionAsync("Formal");
        await form.GetByLabel("repeat").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();

        var result = page.Locator("#plugin-result");
        await Assertions.Expect(result.Locator("h3")).ToContainTextAsync("Demo.ApplyGlossary");
        await Assertions.Expect(result.Locator("dd[data-field=text]").First).ToHaveTextAsync("The chat sat on the tapis. The chat slept.");
        await Assertions.Expect(result.Locator("dd[data-field=tone]")).ToHaveTextAsync("Formal");
        await Assertions.Expect(result.Locator("dd[data-field=count]")).ToHaveTextAsync(new[] { "2", "1" });

        // What the server received is what the form said.
        var call = DemoPlugin.Calls.Last();
        Assert.Equal("The cat sat on the mat. The cat slept.", call.Text);
        Assert.Equal([new GlossaryTerm("cat", "chat"), new GlossaryTerm("mat", "tapis")], call.Glossary);
        Assert.True(call.CaseSensitive);
        Assert.Equal(Tone.Formal, call.Tone);
        Assert.Empty(fixture.PageErrors[page]);
        await page.ScreenshotToDocsAsync("webui-plugins.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ABadArgumentShowsTheServersMessage()
    {
        var page = await fixture.OpenPageAsync(fixture.Stories);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Plugins" }).ClickAsync();
        await page.GetByLabel("Kernel function").SelectOptionAsync(new SelectOptionValue { Label = "Demo.ApplyGlossary" });
        // No glossary rows: the required argument is missing, and the server says which.
        await page.Locator("#plugin-form").GetByLabel("text").FillAsync("Some text");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        var alert = page.Locator("#plugin-result [role=alert]");
        await Assertions.Expect(alert).ToContainTextAsync("Demo.ApplyGlossary failed");
        await Assertions.Expect(alert).ToContainTextAsync("glossary");
        await page.Context.CloseAsync();
    }
}
