using AgentHost.Hosting;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Llama.Tests.Hosting;

/// <summary>The generic host wires the local model into MEAI and Semantic Kernel from configuration.</summary>
public class HostIntegrationTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddLlamaChatClient(builder.Configuration);
        builder.Services.AddAgentHostKernel();
        return builder.Build();
    }

    private static Dictionary<string, string?> StoriesSettings() => new()
    {
        ["Llama:ModelPath"] = TestAssets.Stories260K,
        ["Llama:Backend"] = "Cpu",
        ["Llama:ContextSize"] = "256",
        ["Llama:Threads"] = "2",
        ["Llama:ChatTemplate"] = "chatml",
        ["Llama:Defaults:Temperature"] = "0",
    };

    [Fact]
    public async Task ChatClientFromDiAnswersWithUsageAndFinishReason()
    {
        using var host = BuildHost(StoriesSettings());
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IChatClient>();
        var metadata = client.GetService<ChatClientMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("stories260K", metadata!.DefaultModelId);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], new ChatOptions { MaxOutputTokens = 12 });
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(12, response.Usage?.OutputTokenCount);
        Assert.True(response.Usage?.InputTokenCount > 5);
        Assert.Equal("stories260K", response.ModelId);

        // Streaming through the same pipeline gives the same greedy text.
        var streamed = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], new ChatOptions { MaxOutputTokens = 12 }).ToChatResponseAsync();
        Assert.Equal(response.Text, streamed.Text);
        await host.StopAsync();
    }

    [Fact]
    public async Task SemanticKernelChatCompletionServiceUsesTheLocalModel()
    {
        using var host = BuildHost(StoriesSettings());
        var kernel = host.Services.GetRequiredService<Kernel>();
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage("Once upon a time");
        var reply = await chat.GetChatMessageContentAsync(history, new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 10 } }, kernel);
        Assert.False(string.IsNullOrEmpty(reply.Content));

        var direct = await host.Services.GetRequiredService<IChatClient>().GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], new ChatOptions { MaxOutputTokens = 10 });
        Assert.Equal(direct.Text, reply.Content);
    }

    [Fact]
    public void InvalidOptionsFailAtStartNamingTheKey()
    {
        var settings = StoriesSettings();
        settings["Llama:ContextSize"] = "0";
        settings["Llama:Parallel"] = "-3";
        using var host = BuildHost(settings);
        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<Options.LlamaOptions>>().Value);
        Assert.Contains("Llama:ContextSize", ex.Message);
        Assert.Contains("Llama:Parallel", ex.Message);
    }

    [Fact]
    public void ModelWithoutTemplateAndNoneConfiguredIsAClearError()
    {
        var settings = StoriesSettings();
        settings.Remove("Llama:ChatTemplate");
        using var host = BuildHost(settings);
        var ex = Assert.Throws<ChatTemplateException>(() => host.Services.GetRequiredService<IChatClient>());
        Assert.Contains("Llama:ChatTemplate", ex.Message);
    }

    [Fact]
    public async Task UnknownModelIdIsRejected()
    {
        using var host = BuildHost(StoriesSettings());
        var client = host.Services.GetRequiredService<IChatClient>();
        var ex = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => client.GetResponseAsync("hi", new ChatOptions { ModelId = "gpt-4o" }));
        Assert.Contains("gpt-4o", ex.Message);
    }
}
