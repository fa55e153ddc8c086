using Microsoft.Extensions.DependencyInjection;
using System.ComponentModel;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Tests.Engine;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Llama.Tests.Chat;

/// <summary>Semantic Kernel auto-invokes a native plugin against the local model (synthetic qwen2 + Qwen2.5 template).</summary>
public class SemanticKernelToolTests(SyntheticQwenFixture fixture) : IClassFixture<SyntheticQwenFixture>
{
    public sealed class OrdersPlugin
    {
        public List<string> Looked { get; } = [];

        [KernelFunction("lookup_order"), Description("Looks up an order by its id")]
        public string LookupOrder([Description("Order id")] int orderId)
        {
            Looked.Add(orderId.ToString());
            return $"Order {orderId}: shipped";
        }
    }

    [Fact]
    public async Task KernelInvokesThePluginAndContinuesWithItsResult()
    {
        var plugin = new OrdersPlugin();
        var builder = Kernel.CreateBuilder();
        builder.Plugins.AddFromObject(plugin, "orders");
        var chatClient = new ChatClientBuilder(new LlamaChatClient(fixture.Engine, ChatPromptFormatterFactory.Create(fixture.Model, null)))
            .UseKernelFunctionInvocation()
            .Build();
        builder.Services.AddSingleton<IChatCompletionService>(chatClient.AsChatCompletionService());
        var kernel = builder.Build();

        var history = new ChatHistory();
        history.AddUserMessage("Where is order 42?");
        var settings = new PromptExecutionSettings
        {
            FunctionChoiceBehavior = FunctionChoiceBehavior.Required(options: new FunctionChoiceBehaviorOptions { AllowParallelCalls = false }),
            ExtensionData = new Dictionary<string, object> { ["temperature"] = 1.0, ["seed"] = 5, ["max_tokens"] = 200 },
        };
        var reply = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(history, settings, kernel);
        Assert.NotEmpty(plugin.Looked);
        Assert.Contains(history, m => m.Items.OfType<Microsoft.SemanticKernel.FunctionResultContent>().Any(r => r.Result?.ToString()?.Contains("shipped") == true));
        Assert.Equal(AuthorRole.Assistant, reply.Role);
    }
}
