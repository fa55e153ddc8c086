using System.Text.Json;
using System.Text.Json.Serialization;
using AgentHost.Agents.Tests.Support;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using NJsonSchema;

namespace AgentHost.Agents.Tests.Agents;

public enum TriagePriority { Low, Normal, High }

public enum TriageTopic { Order, Refund, Shipping, Other }

public sealed record TriageResult(TriagePriority Priority, bool Escalate, TriageTopic Topic);

/// <summary>
/// Structured output through the framework: RunAsync&lt;T&gt; and a response schema declared in configuration. The
/// grammar makes a random-weight model's reply valid JSON for the schema; NJsonSchema, an independent validator,
/// checks it.
/// </summary>
public class StructuredOutputTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    [Fact]
    public async Task RunAsyncOfTValidatesAgainstItsSchema()
    {
        var agent = fixture.Catalog.Get("chat");
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(TriageResult), serializerOptions: Json);
        var validator = await JsonSchema.FromJsonAsync(schema.GetRawText());
        var options = new ChatClientAgentRunOptions(new ChatOptions { MaxOutputTokens = 80 });
        for (var i = 0; i < 3; i++)
        {
            var session = await fixture.Sessions.OpenAsync("chat", $"structured-{i}");
            AgentResponse<TriageResult> response = await agent.RunAsync<TriageResult>($"Triage message {i}: my parcel is late.", session, Json, options);
            var errors = validator.Validate(response.Text);
            Assert.True(errors.Count == 0, $"{response.Text}: {string.Join("; ", errors)}");
            Assert.True(Enum.IsDefined(response.Result.Priority));
            Assert.True(Enum.IsDefined(response.Result.Topic));
            Assert.Equal(JsonSerializer.Deserialize<TriageResult>(response.Text, Json), response.Result);
        }
    }

    [Fact]
    public async Task ResponseSchemaFromConfigurationIsEnforced()
    {
        var agent = fixture.Catalog.Get("classifier");
        var validator = await JsonSchema.FromJsonAsync(TestSettings.For("m", "/tmp/x.db")["Agents:classifier:ResponseSchema"]!);
        var session = await fixture.Sessions.OpenAsync("classifier", "structured-config");
        var response = await agent.RunAsync("Where is my order ORD-10042?", session);
        var errors = validator.Validate(response.Text);
        Assert.True(errors.Count == 0, $"{response.Text}: {string.Join("; ", errors)}");
    }
}
