using AgentHost.Llama.Chat;
using AgentHost.Llama.Tests.Engine;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Tests.Chat;

/// <summary>ChatOptions reach the engine: stop sequences, max tokens, seed, temperature.</summary>
public class LlamaChatClientTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private LlamaChatClient Client() => new(fixture.Engine, ChatPromptFormatterFactory.Create(fixture.Model, "chatml"));

    private static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "You tell stories."),
        new(ChatRole.User, "Once upon a time"),
    ];

    [Fact]
    public async Task MaxOutputTokensGivesLengthFinish()
    {
        var r = await Client().GetResponseAsync(Conversation(), new ChatOptions { MaxOutputTokens = 7, Temperature = 0 });
        Assert.Equal(7, r.Usage!.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, r.FinishReason);
    }

    [Fact]
    public async Task InstructionsAreTheSystemPromptAsTheAgentFrameworkAndResponsesPassThem()
    {
        // ChatClientAgent hands an agent's instructions over as ChatOptions.Instructions, not as a message.
        var client = Client();
        List<ChatMessage> bare = [new(ChatRole.User, "Once upon a time")];
        var withInstructions = await client.GetResponseAsync(bare, new ChatOptions { MaxOutputTokens = 12, Temperature = 0, Instructions = "You tell stories." });
        var asSystem = await client.GetResponseAsync(Conversation(), new ChatOptions { MaxOutputTokens = 12, Temperature = 0 });
        Assert.Equal(asSystem.Text, withInstructions.Text);
        Assert.Equal(asSystem.Usage!.InputTokenCount, withInstructions.Usage!.InputTokenCount);
        Assert.Equal(client.CountPromptTokens(Conversation()), client.CountPromptTokens(bare, new ChatOptions { Instructions = "You tell stories." }));

        // With a system message of its own: one system message, the instructions first (templates take only one).
        List<ChatMessage> merged = [new(ChatRole.System, "You tell stories.\n\nBe brief."), new(ChatRole.User, "Once upon a time")];
        List<ChatMessage> own = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Once upon a time")];
        Assert.Equal(client.CountPromptTokens(merged), client.CountPromptTokens(own, new ChatOptions { Instructions = "You tell stories." }));
        Assert.Equal((await client.GetResponseAsync(merged, new ChatOptions { MaxOutputTokens = 12, Temperature = 0 })).Text,
            (await client.GetResponseAsync(own, new ChatOptions { MaxOutputTokens = 12, Temperature = 0, Instructions = "You tell stories." })).Text);
    }

    [Fact]
    public async Task StopSequenceCutsTheReply()
    {
        var full = await Client().GetResponseAsync(Conversation(), new ChatOptions { MaxOutputTokens = 40, Temperature = 0 });
        var words = full.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length > 4, full.Text);
        var stop = words[3];
        var cut = await Client().GetResponseAsync(Conversation(), new ChatOptions { MaxOutputTokens = 40, Temperature = 0, StopSequences = [stop] });
        Assert.Equal(full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)], cut.Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);
    }

    [Fact]
    public async Task SeedMakesSamplingRepeatable()
    {
        var options = new ChatOptions { MaxOutputTokens = 30, Temperature = 1.0f, TopP = 1, TopK = 0, Seed = 1234 };
        var a = await Client().GetResponseAsync(Conversation(), options);
        var b = await Client().GetResponseAsync(Conversation(), options);
        Assert.Equal(a.Text, b.Text);
    }

    [Fact]
    public async Task ChatTemplateIsAppliedWithTheModelsSpecialTokens()
    {
        var formatter = ChatPromptFormatterFactory.Create(fixture.Model, "chatml");
        var prompt = formatter.Format(Conversation(), []);
        Assert.Equal("<|im_start|>system\nYou tell stories.<|im_end|>\n<|im_start|>user\nOnce upon a time<|im_end|>\n<|im_start|>assistant\n", prompt.Text);
        Assert.True(prompt.AddSpecialTokens);
    }

    [Fact]
    public void UnknownBuiltinTemplateIsAClearError()
    {
        var ex = Assert.Throws<ChatTemplateException>(() => ChatPromptFormatterFactory.Create(fixture.Model, "no-such-template"));
        Assert.Contains("chatml", ex.Message);
    }
}
