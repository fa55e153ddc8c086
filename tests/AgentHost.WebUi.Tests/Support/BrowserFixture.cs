using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Microsoft.SemanticKernel;

namespace AgentHost.WebUi.Tests.Support;

/// <summary>
/// One chromium (Debian's, never a downloaded one) and the servers the page talks to, shared by every browser test:
/// stories260K for chat and plugins, the synthetic Qwen model (tool-capable template) for tool calls, Stop and the
/// test agents (<see cref="TestModels.QwenWithAgents"/>), started on first use.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _qwenLock = new(1, 1);
    private WebUiServer? _qwen;

    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public WebUiServer Stories { get; private set; } = null!;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new FileNotFoundException($"chromium not found at {ChromiumPath}: install Debian's (apt-get install chromium; .ci/run does) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE.", ChromiumPath);
        var stories = WebUiServer.StartAsync(TestModels.Stories(), AddTestPlugins);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Tests run as root in containers, where chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        Stories = await stories;
    }

    public async Task<WebUiServer> QwenAsync()
    {
        await _qwenLock.WaitAsync();
        try
        {
            return _qwen ??= await WebUiServer.StartAsync(TestModels.QwenWithAgents(), AddTestPlugins);
        }
        finally
        {
            _qwenLock.Release();
        }
    }

    private static void AddTestPlugins(IServiceCollection services)
    {
        services.AddSingleton(KernelPluginFactory.CreateFromType<DemoPlugin>("Demo"));
        services.AddSingleton(KernelPluginFactory.CreateFromType<WeatherPlugin>("Weather"));
        services.AddSingleton(KernelPluginFactory.CreateFromType<LedgerPlugin>("Ledger"));
    }

    /// <summary>A fresh browser context (empty storage) on the server's page; with the API key in the tab's sessionStorage unless told otherwise.</summary>
    public async Task<IPage> OpenPageAsync(WebUiServer server, bool withKey = true, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 860 } });
        context.SetDefaultTimeout(30_000);
        if (withKey) await context.AddInitScriptAsync($"sessionStorage.setItem('agenthost.apiKey', '{WebUiServer.ApiKey}');");
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add(message);
        // A 401 or 404 answer is logged by chromium as "Failed to load resource"; that is the page working, not failing.
        page.Console += (_, message) => { if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) errors.Add(message.Text); };
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(server.BaseAddress.ToString());
        PageErrors[page] = errors;
        return page;
    }

    /// <summary>Uncaught errors and console errors of each page (a script failing is a test failure).</summary>
    public Dictionary<IPage, List<string>> PageErrors { get; } = [];

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Playwright?.Dispose();
        if (Stories is not null) await Stories.DisposeAsync();
        if (_qwen is not null) await _qwen.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
