using AgentHost.Hosting;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.Summarization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Tests.EndToEnd;

/// <summary>
/// With JSON-schema constrained decoding in LlamaChatClient, even a model that knows nothing of JSON (stories260K)
/// answers the structured functions with output that parses into the typed result, enums included.
/// </summary>
public class ConstrainedOutputTests
{
    [Fact]
    public async Task StructuredFunctionsParseWhenDecodingIsConstrainedToTheSchema()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var directory = TestAssets.NewTempDir("constrained");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llama:ModelPath"] = TestAssets.Stories260K,
            ["Llama:ChatTemplate"] = "chatml",
            ["Llama:Backend"] = "Cpu",
            ["Llama:GpuLayers"] = "0",
            ["Llama:Threads"] = "2",
            ["Llama:ContextSize"] = "2048",
            ["Llama:Defaults:Temperature"] = "0",
            ["Plugins:CustomerService:DatabasePath"] = Path.Combine(directory, "support.db"),
        });
        builder.Services.AddLlamaChatClient(builder.Configuration);
        builder.Services.AddAgentHostKernel();
        builder.Services.AddAgentHostPlugins(builder.Configuration);
        using var host = builder.Build();
        var kernel = host.Services.GetRequiredService<Kernel>();

        var classification = (await kernel.InvokeAsync("CustomerService", "ClassifyMessage", new() { ["message"] = "My tent arrived broken, I want a refund." }))
            .GetValue<ToolResult<MessageClassification>>()!;
        Assert.True(classification.Ok, classification.Error);
        Assert.True(Enum.IsDefined(classification.Value!.Intent) && Enum.IsDefined(classification.Value.Sentiment) && Enum.IsDefined(classification.Value.Urgency));
        Assert.False(string.IsNullOrWhiteSpace(classification.Value.Summary));

        var actions = (await kernel.InvokeAsync("Summarization", "ActionItems", new() { ["text"] = "Ana will send the draft by Friday." }))
            .GetValue<ToolResult<ActionItemsResult>>()!;
        Assert.True(actions.Ok, actions.Error);
        Assert.All(actions.Value!.ActionItems, a => Assert.True(Enum.IsDefined(a.Priority)));
    }
}
