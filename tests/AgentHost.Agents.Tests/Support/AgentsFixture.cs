using AgentHost.Agents.Catalog;
using AgentHost.Agents.Sessions;
using AgentHost.Gguf;
using AgentHost.Hosting;
using AgentHost.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.SemanticKernel;

namespace AgentHost.Agents.Tests.Support;

/// <summary>
/// A tiny random-weight qwen2 model (real Qwen2 vocabulary, the Qwen2.5 chat template with Hermes-style tool calls)
/// served by a generic host wired as the README says: AddLlamaChatClient + AddAgentHostKernel + AddAgentHostAgents,
/// with test agents declared in configuration next to the built-in ones. Written once per test class.
/// </summary>
public sealed class AgentsFixture : IDisposable
{
    public AgentsFixture()
    {
        Directory = TestAssets.NewTempDir("agents");
        ModelPath = Path.Combine(Directory, "qwen2-tiny.gguf");
        WriteModel(ModelPath);
        Host = BuildHost(ModelPath, Path.Combine(Directory, "sessions.db"), Weather, Ledger);
    }

    public string Directory { get; }
    public string ModelPath { get; }
    public IHost Host { get; }
    public WeatherTools Weather { get; } = new();
    public LedgerTools Ledger { get; } = new();
    public IServiceProvider Services => Host.Services;
    public AgentCatalog Catalog => Services.GetRequiredService<AgentCatalog>();
    public AgentSessionService Sessions => Services.GetRequiredService<AgentSessionService>();

    public static void WriteModel(string path) =>
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 7 }, TestAssets.VocabGguf("qwen2"),
            File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct")), path);

    public static IHost BuildHost(string modelPath, string databasePath, WeatherTools? weather = null, LedgerTools? ledger = null, IDictionary<string, string?>? extra = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = TestSettings.For(modelPath, databasePath);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddLlamaChatClient(builder.Configuration);
        builder.Services.AddAgentHostKernel();
        var w = weather ?? new WeatherTools();
        var l = ledger ?? new LedgerTools();
        builder.Services.AddSingleton(sp => PluginComposer.Compose("Weather", w, null, sp));
        builder.Services.AddSingleton(sp => PluginComposer.Compose("Ledger", l, null, sp));
        builder.Services.AddAgentHostAgents(builder.Configuration);
        return builder.Build();
    }

    public void Dispose()
    {
        Host.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
