using System.Net.Http.Headers;
using AgentHost.Hosting;
using AgentHost.Llama.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// The server as an app would host it: WebApplication + AddLlamaChatClient + AddAgentHostKernel +
/// AddAgentHostServer + MapAgentHostOpenAi, Kestrel on 127.0.0.1 and a free port, the model really loaded.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(WebApplication app, Uri baseAddress, CapturingLoggerProvider logs, string? apiKey)
    {
        App = app;
        BaseAddress = baseAddress;
        Logs = logs;
        ApiKey = apiKey;
    }

    public WebApplication App { get; }
    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }
    /// <summary>http://127.0.0.1:PORT/v1, what OpenAI clients take as their endpoint.</summary>
    public Uri V1 => new(BaseAddress, "v1");
    public CapturingLoggerProvider Logs { get; }
    public string? ApiKey { get; }
    public LlamaEngine Engine => App.Services.GetRequiredService<LlamaEngine>();
    public string ModelId => Engine.ModelId;

    public static async Task<LoopbackServer> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // Only what the test says: no appsettings.json or environment variables from the machine.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["Server:Urls"] = "http://127.0.0.1:0" });
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddLlamaChatClient(builder.Configuration);
        builder.Services.AddAgentHostKernel();
        builder.Services.AddAgentHostServer(builder.Configuration);
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapAgentHostOpenAi();
        app.MapAgentHostAnthropic();
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var uri = new Uri(address.EndsWith('/') ? address : address + "/");
        Assert.Equal("127.0.0.1", uri.Host);
        settings.TryGetValue("Server:ApiKey", out var key);
        return new LoopbackServer(app, uri, logs, key);
    }

    /// <summary>An HttpClient on the server with the API key (when one is set).</summary>
    public HttpClient CreateHttpClient(bool withKey = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (withKey && ApiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
