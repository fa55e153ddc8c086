namespace AgentHost.Llama.Tests.Cli;

/// <summary>`agenthost template render` prints exactly llama.cpp's rendering (the committed goldens) and nothing else.</summary>
public class TemplateRenderCliTests
{
    private static string Goldens => Path.Combine(TestAssets.RepoRoot, "tests", "AgentHost.Jinja.Tests", "Goldens");

    [Theory]
    [InlineData("Qwen-Qwen2.5-7B-Instruct", "01-system-user")]
    [InlineData("Qwen-Qwen2.5-7B-Instruct", "03-multi-turn")]
    // Without a model, bos/eos are llama.cpp's <s> and </s>: Nemo writes </s> after each assistant turn.
    [InlineData("mistralai-Mistral-Nemo-Instruct-2407", "03-multi-turn")]
    [InlineData("mistralai-Mistral-Nemo-Instruct-2407", "05-tool-call-and-result")]
    public async Task RenderMatchesLlamaCppGolden(string template, string conversation)
    {
        var r = await AgentHostProcess.RunAsync("template", "render", "--template", TestAssets.ChatTemplate(template),
            "--conversation", Path.Combine(Goldens, "conversations", conversation + ".json"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(Goldens, "expected", template, conversation + ".txt")), r.Stdout);
    }

    [Fact]
    public async Task BosAndEosTokensCanBeOverridden()
    {
        var r = await AgentHostProcess.RunAsync("template", "render", "--template", TestAssets.ChatTemplate("mistralai-Mistral-Nemo-Instruct-2407"),
            "--conversation", Path.Combine(Goldens, "conversations", "03-multi-turn.json"), "--bos-token", "<BOS>", "--eos-token", "<EOS>");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.StartsWith("<BOS>[INST]Name a prime number.[/INST]7<EOS>[INST]", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("</s>", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedTemplateIsOneLineWithTheLine()
    {
        var dir = TestAssets.NewTempDir("tmpl");
        var bad = Path.Combine(dir, "bad.jinja");
        File.WriteAllText(bad, "{% for m in messages %}\n{{ m.content }\n{% endfor %}");
        var conv = Path.Combine(dir, "c.json");
        File.WriteAllText(conv, """{"messages":[{"role":"user","content":"hi"}]}""");
        var r = await AgentHostProcess.RunAsync("template", "render", "--template", bad, "--conversation", conv);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("line 2", line, StringComparison.OrdinalIgnoreCase);
    }
}
