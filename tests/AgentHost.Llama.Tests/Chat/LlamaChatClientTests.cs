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
