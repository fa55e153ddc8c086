using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// A server over stories260K (4 slots, 256-token context, API key, 64 KiB body limit, max_tokens limit 128) with
/// a "math" kernel plugin, started once per test class.
/// </summary>
public sealed class StoriesServerFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxTokensLimit = 128;

    public LoopbackServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = TestModels.Stories();
        settings["Server:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Server:MaxTokensLimit"] = MaxTokensLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Server = await LoopbackServer.StartAsync(settings, services => services.AddSingleton(KernelPluginFactory.CreateFromType<MathPlugin>("math")));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public sealed class MathPlugin
    {
        [KernelFunction("add"), Description("Adds two integers.")]
        public static int Add([Description("first")] int a, [Description("second")] int b) => a + b;

        [KernelFunction("greet"), Description("Greets someone.")]
        public static string Greet(string name, bool shout = false) => shout ? $"HELLO, {name.ToUpperInvariant()}!" : $"Hello, {name}.";
    }
}
