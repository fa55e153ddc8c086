using AgentHost.WebUi.Tests.Support;
using Microsoft.Playwright;

namespace AgentHost.WebUi.Tests;

/// <summary>The model panel shows /props, /health and /metrics figures, and works on a narrow screen.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModelPanelTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ShowsModelContextSlotsBackendAndMetricsOnANarrowScreen()
    {
        var page = await fixture.OpenPageAsync(fixture.Stories, viewport: new ViewportSize { Width = 390, Height = 800 });
        var engine = fixture.Stories.Engine;
        // Keyboard: focus the Chat tab, arrow right twice to Model.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Chat" }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Model" })).ToHaveAttributeAsync("aria-selected", "true");
        var panel = page.GetByRole(AriaRole.Tabpanel, new() { Name = "Model" });
        await Assertions.Expect(panel.Locator("dd[data-key=model]")).ToHaveTextAsync(engine.ModelId);
        await Assertions.Expect(panel.Locator("dd[data-key=n_ctx]")).ToHaveTextAsync(engine.ContextSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(panel.Locator("dd[data-key=total_slots]")).ToHaveTextAsync(engine.SlotCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(panel.Locator("dd[data-key=chat_template]")).ToHaveTextAsync("chatml");
        await Assertions.Expect(panel.Locator("dd[data-key=backend]")).ToHaveTextAsync("Cpu");
        await Assertions.Expect(panel.Locator("dd[data-key=slots_processing]")).ToHaveTextAsync("0");
        await Assertions.Expect(panel.Locator("dd[data-key=cache_hit_ratio]")).ToContainTextAsync("%");
        await Assertions.Expect(panel.Locator("dd[data-key=tokens_generated]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+$"));
        // Narrow: the panel fits the width (no horizontal scrolling) and the sidebar opens from its button.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await Assertions.Expect(page.Locator("#sidebar")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Conversations" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "New chat" })).ToBeFocusedAsync();
        Assert.Empty(fixture.PageErrors[page]);
        await page.Context.CloseAsync();
    }
}
