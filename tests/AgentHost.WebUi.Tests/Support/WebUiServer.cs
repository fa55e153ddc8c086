using System.Net.Http.Headers;
using AgentHost.Hosting;
using AgentHost.Llama.Engine;
using AgentHost.Plugins;
using AgentHost.Server;
using AgentHost.Server.WebUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.WebUi.Tests.Support;

/// <summary>
/// The server as `agenthost serve` composes it (model, kernel, the AgentHost plugins and agents, the OpenAI,
/// Responses and Anthropic endpoints, the web UI), hosted in-process on 127.0.0.1 and a free port, the model really loaded. The chat
/// pipeline is the real one behind <see cref="EchoChatClient"/>.
/// </summary>
public sealed class WebUiServer : IAsyncDisposable
{
    public const string ApiKey = "sk-agenthost-webui-test";

    private WebUiServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }
    public LlamaEngine Engine => App.Services.GetRequiredService<LlamaEngine>();

    public static async Task<WebUiServer> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var directory = TestAssets.NewTempDir("webui-state");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Server:Urls"] = "http://127.0.0.1:0",
            ["Server:ApiKey"] = ApiKey,
            ["Plugins:CustomerService:DatabasePath"] = Path.Combine(directory, "support.db"),
            ["AgentSessions:DatabasePath"] = Path.Combine(directory, "sessions.db"),
        });
        builder.Logging.ClearProviders();
        // Only errors, on stderr: a 500 the page shows can then be traced to its exception in the test output.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Error);
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Error);
        builder.Services.AddLlamaChatClient(builder.Configuration);
        builder.Services.AddAgentHostKernel();
        builder.Services.AddAgentHostPlugins(builder.Configuration);
        configure?.Invoke(builder.Services);
        builder.Services.AddKeyedSingleton<IChatClient>(ServerServiceCollectionExtensions.ChatClientServiceKey, (sp, _) =>
            new EchoChatClient(new ChatClientBuilder(sp.GetRequiredService<Llama.Chat.LlamaChatClient>()).Build(sp)));
        builder.Services.AddAgentHostServer(builder.Configuration);
        // The agents and the Responses API (agent:NAME), state in the scratch session database.
        builder.Services.AddAgentHostResponses(builder.Configuration);

        var app = builder.Build();
        app.MapAgentHostOpenAi();
        app.MapAgentHostResponses();
        app.MapAgentHostAnthropic();
        app.MapAgentHostWebUi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new WebUiServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>An HttpClient on the server, with the API key unless told otherwise.</summary>
    public HttpClient CreateHttpClient(bool withKey = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
        if (withKey) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
