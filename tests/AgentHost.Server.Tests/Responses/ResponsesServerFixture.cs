using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentHost.Server.Tests.Responses;

/// <summary>
/// A server with the Responses API (AddAgentHostResponses + MapAgentHostResponses, as `agenthost serve` wires it)
/// over the synthetic Qwen2.5-template model (tool calls come from the grammar, so they are well-formed whatever the
/// random weights say), with two test agents: <c>weather</c> (a read-only kernel tool, required tool choice) and
/// <c>refunds</c> (a tool declared ApprovalRequired). Sessions and responses in a scratch SQLite file.
/// </summary>
public sealed class ResponsesServerFixture : IAsyncLifetime
{
    public LoopbackServer Server { get; private set; } = null!;
    public WeatherTools Weather { get; } = new();
    public LedgerTools Ledger { get; } = new();
    public string Directory { get; } = TestAssets.NewTempDir("responses");

    public async Task InitializeAsync()
    {
        var settings = TestModels.Qwen(parallel: 2, context: 2048);
        settings["Llama:Defaults:Temperature"] = "0";
        settings["Llama:Defaults:Seed"] = "1";
        foreach (var (k, v) in AgentSettings(Directory)) settings[k] = v;
        Server = await StartAsync(settings, services =>
        {
            services.AddSingleton(KernelPluginFactory.CreateFromObject(Weather, "Weather"));
            services.AddSingleton(KernelPluginFactory.CreateFromObject(Ledger, "Ledger"));
        });
    }

    /// <summary>Starts a loopback server with the Responses API on top of <paramref name="settings"/>.</summary>
    public static Task<LoopbackServer> StartAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return LoopbackServer.StartAsync(settings, services =>
        {
            configure?.Invoke(services);
            services.AddAgentHostResponses(configuration);
        }, app => app.MapAgentHostResponses());
    }

    public static Dictionary<string, string?> AgentSettings(string directory) => new()
    {
        ["AgentSessions:DatabasePath"] = Path.Combine(directory, "sessions.db"),
        ["Plugins:CustomerService:DatabasePath"] = Path.Combine(directory, "support.db"),
        ["AgentTools:MaxStringLength"] = "60",
        // Random weights rarely stop: replies are capped so the suite stays fast (the wiring is what is tested).
        ["Agents:weather:Instructions"] = "You report the weather. Call GetWeather.",
        ["Agents:weather:Tools:0"] = "Weather",
        ["Agents:weather:ToolChoice"] = "required",
        ["Agents:weather:MaxTokens"] = "64",
        ["Agents:weather:Temperature"] = "0",
        ["Agents:refunds:Instructions"] = "You issue refunds.",
        ["Agents:refunds:Tools:0"] = "Ledger.IssueRefund",
        ["Agents:refunds:ApprovalRequired:0"] = "Ledger.IssueRefund",
        ["Agents:refunds:ToolChoice"] = "required",
        ["Agents:refunds:MaxTokens"] = "64",
        ["Agents:refunds:Temperature"] = "0",
    };

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>POSTs JSON and returns the status and parsed body.</summary>
    public static async Task<(int Status, JsonElement Body)> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, path));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static MediaTypeHeaderValue JsonType => new("application/json");
}

/// <summary>A read-only tool with a bounded argument (the grammar keeps random weights' calls short).</summary>
public sealed class WeatherTools
{
    public ConcurrentQueue<string> Calls { get; } = new();

    [KernelFunction, Description("Gets today's weather for a city.")]
    public string GetWeather([Description("The city."), RegularExpression("^(Paris|Oslo|Lima)$")] string city)
    {
        Calls.Enqueue(city);
        return $"Sunny in {city}";
    }
}

/// <summary>A tool that spends money: declared ApprovalRequired by the refunds agent.</summary>
public sealed class LedgerTools
{
    public ConcurrentQueue<string> Refunds { get; } = new();

    [KernelFunction, Description("Refunds an order to the customer.")]
    public string IssueRefund([Description("Why."), RegularExpression("^(damaged|late|wrong)$")] string reason)
    {
        Refunds.Enqueue(reason);
        return $"refunded ({reason})";
    }
}
