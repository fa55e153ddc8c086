using AgentHost.Llama.Chat;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Tests.Anthropic;

/// <summary>
/// A server over the synthetic Qwen2.5-template model (real vocabulary and template, random weights) whose chat
/// client records what each request asked for, with a max_tokens limit of 256 and greedy decoding by default. Started once per test class.
/// </summary>
public sealed class AnthropicServerFixture : IAsyncLifetime
{
    public const int MaxTokensLimit = 256;

    public LoopbackServer Server { get; private set; } = null!;
    public RecordingChatClient Recorder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = TestModels.Qwen();
        // Greedy by default: the Anthropic SDK no longer sends temperature, and the tests compare runs.
        settings["Llama:Defaults:Temperature"] = "0";
        settings["Server:MaxTokensLimit"] = MaxTokensLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Server = await LoopbackServer.StartAsync(settings, services =>
            // Registered after AddAgentHostServer: the last keyed registration is the one the endpoints get.
            services.AddKeyedSingleton<IChatClient>(ServerServiceCollectionExtensions.ChatClientServiceKey, (sp, _) =>
                Recorder = new RecordingChatClient(sp.GetRequiredService<LlamaChatClient>())));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
