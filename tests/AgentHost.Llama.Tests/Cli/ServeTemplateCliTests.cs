namespace AgentHost.Llama.Tests.Cli;

/// <summary>`agenthost serve` with a chat template it cannot use: a clear one-line error and exit code, not a crash.</summary>
public class ServeTemplateCliTests
{
    [Fact]
    public async Task ATemplateFileWithASyntaxErrorExitsNamingThePosition()
    {
        var file = Path.Combine(TestAssets.NewTempDir("serve-template"), "bad.jinja");
        await File.WriteAllTextAsync(file, "{% for m in messages %}\n{{ m.content }\n{% endfor %}");
        var r = await AgentHostProcess.RunAsync("serve", "--model", TestAssets.Stories260K, "--chat-template-file", file, "--urls", "http://127.0.0.1:0", "--threads", "1");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("agenthost: error: The configured chat template is not valid Jinja", r.Stderr);
        Assert.Contains("template line 2, column", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("--chat-template", "no-such-name", "neither a built-in name nor Jinja", 1)]
    [InlineData("--chat-template-file", "/definitely/missing.jinja", "missing.jinja", 2)]
    public async Task OtherUnusableTemplatesExitClearly(string option, string value, string expected, int exitCode)
    {
        var r = await AgentHostProcess.RunAsync("serve", "--model", TestAssets.Stories260K, option, value, "--urls", "http://127.0.0.1:0", "--threads", "1");
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
