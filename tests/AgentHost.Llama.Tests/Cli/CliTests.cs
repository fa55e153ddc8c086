using System.Text.Json;

namespace AgentHost.Llama.Tests.Cli;

public class CliTests
{
    [Theory]
    [InlineData("Once upon a time", ", there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it,")]
    [InlineData("The little dog", " was a little girl named Lily. She loved to play with her toys and her toys. One day, she saw a big box with a big box. It was a big,")]
    public async Task CompletePrintsExactlyTheReferenceContinuation(string prompt, string expected)
    {
        var r = await AgentHostProcess.RunAsync("complete", "--model", TestAssets.Stories260K, "--prompt", prompt, "--max-tokens", "48", "--temperature", "0");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(expected, r.Stdout);
    }

    [Fact]
    public async Task SameSeedSameOutput()
    {
        string[] args = ["complete", "--model", TestAssets.Stories260K, "--prompt", "The cat", "--max-tokens", "30", "--temperature", "1", "--seed", "99"];
        var a = await AgentHostProcess.RunAsync(args);
        var b = await AgentHostProcess.RunAsync(args);
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Stdout, b.Stdout);
        Assert.NotEmpty(a.Stdout);
    }

    [Theory]
    [InlineData("complete --model /definitely/missing.gguf --prompt x", "missing.gguf")]
    [InlineData("complete --model {stories} --prompt x --max-tokens -5", "MaxTokens")]
    [InlineData("complete --model {stories} --prompt x --ctx 0", "Llama:ContextSize")]
    [InlineData("complete --model {stories} --prompt x --threads -2", "Llama:Threads")]
    [InlineData("complete --prompt x --max-tokens notanumber", "notanumber")]
    [InlineData("model inspect {notgguf}", "GGUF")]
    public async Task BadInputIsOneLineAndNonZeroExit(string commandLine, string mentioned)
    {
        var notGguf = Path.Combine(TestAssets.NewTempDir("cli"), "text.gguf");
        File.WriteAllText(notGguf, "hello, this is certainly not a gguf file at all");
        var args = commandLine.Replace("{stories}", TestAssets.Stories260K).Replace("{notgguf}", notGguf).Split(' ');
        var r = await AgentHostProcess.RunAsync(args);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("agenthost: error:", lines[0]);
        Assert.Contains(mentioned, lines[0]);
    }

    [Fact]
    public async Task NoModelAnywhereSaysItPullsTheDefaultAndFailsClearlyOffline()
    {
        // A closed loopback port stands in for "no network": the default model cannot be pulled.
        var env = new Dictionary<string, string> { ["HF_ENDPOINT"] = "http://127.0.0.1:9/", ["AGENTHOST_MODELS"] = TestAssets.NewTempDir("models") };
        var r = await AgentHostProcess.RunAsync(env, "complete", "--prompt", "hi");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("default model hf:", r.Stderr);
        Assert.Contains("--model /path/to/file.gguf", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task CudaWithoutAGpuFailsWithAClearMessage()
    {
        var r = await AgentHostProcess.RunAsync("complete", "--model", TestAssets.Stories260K, "--prompt", "x", "--backend", "Cuda");
        Assert.NotEqual(0, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("agenthost: error: Backend=Cuda cannot be used", line);
    }

    [Fact]
    public async Task AutoPicksCpuHereAndSaysWhy()
    {
        var r = await AgentHostProcess.RunAsync("model", "inspect", TestAssets.Stories260K, "--json", "--load", "--backend", "Auto", "--gpu-layers", "0");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var load = doc.RootElement.GetProperty("load");
        Assert.Equal("Cpu", load.GetProperty("backend").GetString());
        Assert.Contains("CUDA", load.GetProperty("reason").GetString());
        Assert.Equal(5, load.GetProperty("layers").GetInt32());
    }

    [Fact]
    public async Task ModelInspectJsonHasTheFacts()
    {
        var r = await AgentHostProcess.RunAsync("model", "inspect", TestAssets.Stories260K, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal("llama", doc.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(5, doc.RootElement.GetProperty("block_count").GetInt32());
        Assert.Equal(64, doc.RootElement.GetProperty("embedding_length").GetInt32());
        Assert.Equal(512, doc.RootElement.GetProperty("vocab_size").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("bos_token_id").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("eos_token_id").GetInt32());
        Assert.True(doc.RootElement.GetProperty("metadata").GetProperty("general.architecture").GetString() == "llama");
    }

    [Fact]
    public async Task BenchJsonReportsBothFigures()
    {
        var r = await AgentHostProcess.RunAsync("bench", "--model", TestAssets.Stories260K, "--prompt-tokens", "64", "--gen-tokens", "16", "--repetitions", "2", "--json", "--threads", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.True(doc.RootElement.GetProperty("pp_tokens_per_s").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("tg_tokens_per_s").GetDouble() > 0);
        Assert.Equal(2, doc.RootElement.GetProperty("repetitions").GetInt32());
    }
}
