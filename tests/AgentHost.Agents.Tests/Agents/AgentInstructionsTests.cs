using AgentHost.Agents.Tests.Support;
using AgentHost.Llama.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Agents.Tests.Agents;

/// <summary>
/// An agent's instructions reach the model: the Agent Framework hands them over as ChatOptions.Instructions, and
/// the prompt must start with them as its system message (they were once dropped on the way).
/// </summary>
public class AgentInstructionsTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    [Fact]
    public async Task The_agents_instructions_are_the_system_prompt_of_its_model_call()
    {
        var agent = fixture.Catalog.Get("chat");
        var run = await agent.RunAsync("Hello there");

        var model = fixture.Services.GetRequiredService<LlamaChatClient>();
        List<ChatMessage> expected = [new(ChatRole.System, "You are a helpful assistant."), new(ChatRole.User, "Hello there")];
        Assert.Equal(model.CountPromptTokens(expected), run.Usage!.InputTokenCount);
        Assert.NotEqual(model.CountPromptTokens([new(ChatRole.User, "Hello there")]), run.Usage.InputTokenCount);
        var direct = await model.GetResponseAsync(expected, new ChatOptions { MaxOutputTokens = 10, Temperature = 0 });
        Assert.Equal(direct.Text, run.Text);
    }
}
