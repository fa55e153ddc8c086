using AgentHost.Gguf;

namespace AgentHost.Llama.Tests.Cli;

/// <summary>`agenthost chat` as a person uses it: lines on stdin, the reply on stdout, tool calls shown on stderr.</summary>
public class ChatCliTests
{
    private static readonly Lazy<string> QwenModel = new(() =>
    {
        var path = Path.Combine(TestAssets.NewTempDir("chat-cli"), "qwen2-tiny.gguf");
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 42 }, TestAssets.VocabGguf("qwen2"),
            File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct")), path);
        return path;
    });

    [Fact]
    public async Task ChatWithPluginsShowsTheToolCallAndItsResultAsTheyHappen()
    {
        // Required: the random-weight model must call the tool; the prompt function's json_schema (maxLength) and the
        // grammar keep the call well-formed, and the call runs a nested generation on the same engine.
        var r = await AgentHostProcess.RunWithInputAsync(new Dictionary<string, string>(), "Write a headline: the cat won the cup\n",
            "chat", "--model", QwenModel.Value, "--ctx", "2048", "--plugins", "Writing.Headline", "--tool-choice", "required",
            "--temperature", "1", "--seed", "2", "-n", "300"); // a seed whose random-weight call closes its string within the token limit
        Assert.True(r.ExitCode == 0, r.Stderr);
        var call = r.Stderr.IndexOf("[tool call] Writing.Headline {\"text\":", StringComparison.Ordinal);
        var result = r.Stderr.IndexOf("[tool result] ", StringComparison.Ordinal);
        Assert.True(call >= 0, r.Stderr);
        Assert.True(result > call, r.Stderr);
        Assert.DoesNotContain("<tool_call>", r.Stdout); // the call's syntax is not shown as the assistant's text
    }

    [Fact]
    public async Task TwoTurnsWithoutPluginsStreamEachReply()
    {
        var r = await AgentHostProcess.RunWithInputAsync(new Dictionary<string, string>(), "Hello\nAnd again\n",
            "chat", "--model", QwenModel.Value, "--ctx", "2048", "--temperature", "1", "--seed", "3", "-n", "8");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(3, r.Stderr.Split("> ").Length - 1); // a prompt per turn, and one more that read the end of input
        Assert.False(string.IsNullOrWhiteSpace(r.Stdout));
    }

    [Theory]
    [InlineData("Nope", "no plugin 'Nope'")]
    [InlineData("Writing.Nope", "Writing has no function 'Nope'")]
    public async Task UnknownPluginOrFunctionFailsBeforeTheModelLoads(string plugins, string mentioned)
    {
        var r = await AgentHostProcess.RunWithInputAsync(new Dictionary<string, string>(), "Hello\n",
            "chat", "--model", QwenModel.Value, "--plugins", plugins);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(mentioned, r.Stderr);
    }
}
