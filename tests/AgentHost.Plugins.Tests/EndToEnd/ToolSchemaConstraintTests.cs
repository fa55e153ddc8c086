using System.Text.Json;
using System.Text.RegularExpressions;
using AgentHost.Grammar;
using AgentHost.Llama.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Tests.EndToEnd;

/// <summary>
/// DataAnnotations on the CustomerService tools' parameters reach the JSON schema the model is constrained by, so
/// even a random-weight model can only call LookupOrder with an order id the tool accepts.
/// </summary>
[Collection(SyntheticModelCollection.Name)]
public partial class ToolSchemaConstraintTests(SyntheticModelFixture model)
{
    [Fact]
    public void AnnotationsAppearInTheToolSchemasAndEveryToolSchemaConvertsToAGrammar()
    {
        var plugin = model.Kernel.Plugins["CustomerService"];
        var lookup = plugin["LookupOrder"].JsonSchema;
        var orderId = lookup.GetProperty("properties").GetProperty("order_id");
        Assert.Equal("^ORD-[0-9]{4,10}$", orderId.GetProperty("pattern").GetString());
        var top = plugin["SearchKnowledgeBase"].JsonSchema.GetProperty("properties").GetProperty("top");
        Assert.Equal(10, top.GetProperty("maximum").GetDouble());
        var subject = plugin["CreateTicket"].JsonSchema.GetProperty("properties").GetProperty("subject");
        Assert.Equal(200, subject.GetProperty("maxLength").GetInt32());

        foreach (var function in plugin)
        {
            var grammar = JsonSchemaGrammar.FromSchema(function.JsonSchema);
            Assert.Contains("root", grammar);
        }
    }

    [Fact]
    public async Task RequiredLookupOrderCallsAlwaysCarryAValidOrderId()
    {
        var client = model.Host.Services.GetRequiredService<LlamaChatClient>();
        var tool = model.Kernel.Plugins["CustomerService"]["LookupOrder"]; // a KernelFunction is an AIFunction; only its schema is used here
        for (var seed = 1; seed <= 10; seed++)
        {
            var options = new ChatOptions
            {
                Tools = [tool], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false,
                Temperature = 1, Seed = seed, MaxOutputTokens = 160,
            };
            var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")], options);
            var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>());
            var orderId = call.Arguments!["order_id"] switch { JsonElement e => e.GetString(), var v => v?.ToString() };
            Assert.Matches(OrderId(), orderId!);
        }
    }

    [GeneratedRegex("^ORD-[0-9]{4,10}$")]
    private static partial Regex OrderId();
}
