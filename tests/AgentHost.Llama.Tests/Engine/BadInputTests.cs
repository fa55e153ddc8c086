using System.Text;
using AgentHost.Gguf;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using AgentHost.Native;
using Microsoft.Extensions.Options;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>Every bad input is a typed error naming the problem, and the process (and the engine) keep working.</summary>
public class BadInputTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private static LlamaModel Load(string path) => LlamaModel.Load(path, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });

    [Fact]
    public void MissingFile()
    {
        var path = Path.Combine(TestAssets.NewTempDir("missing"), "nope.gguf");
        var ex = Assert.Throws<FileNotFoundException>(() => Load(path));
        Assert.Contains("nope.gguf", ex.Message);
    }

    [Fact]
    public void NotAGguf()
    {
        var path = Path.Combine(TestAssets.NewTempDir("notgguf"), "readme.gguf");
        File.WriteAllText(path, "This is plainly not a GGUF file, just some text that is long enough.");
        var ex = Assert.Throws<GgufFormatException>(() => Load(path));
        Assert.Contains("readme.gguf", ex.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(600_000)]
    public void TruncatedGguf(int length)
    {
        var path = Path.Combine(TestAssets.NewTempDir("trunc"), "cut.gguf");
        File.WriteAllBytes(path, File.ReadAllBytes(TestAssets.Stories260K).AsSpan(0, length).ToArray());
        var ex = Assert.Throws<GgufFormatException>(() => Load(path));
        Assert.Contains("cut.gguf", ex.Message);
    }

    [Fact]
    public void UnknownArchitecture()
    {
        var bytes = File.ReadAllBytes(TestAssets.Stories260K);
        // general.architecture = "llama" (u32 type 8, u64 length 5, bytes) becomes "zzzzz".
        var key = Encoding.UTF8.GetBytes("general.architecture");
        var at = bytes.AsSpan().IndexOf(key);
        Assert.True(at > 0);
        var value = at + key.Length + 4 + 8;
        Assert.Equal("llama", Encoding.UTF8.GetString(bytes, value, 5));
        Encoding.UTF8.GetBytes("zzzzz").CopyTo(bytes, value);
        var path = Path.Combine(TestAssets.NewTempDir("arch"), "zzzzz.gguf");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<ModelLoadException>(() => Load(path));
        Assert.Contains("zzzzz", ex.Message);
    }

    [Fact]
    public async Task PromptLongerThanContext()
    {
        using var engine = LlamaEngine.Create(fixture.Model, StoriesModelFixture.Options(parallel: 1, context: 32));
        var prompt = string.Join(' ', Enumerable.Repeat("Once upon a time there was a dog.", 20));
        var ex = await Assert.ThrowsAsync<ContextOverflowException>(() => engine.CompleteAsync(StoriesModelFixture.Greedy(prompt, 4)));
        Assert.Equal(32, ex.ContextSize);
        Assert.True(ex.PromptTokens > 32);
        Assert.Contains(ex.PromptTokens.ToString(), ex.Message);
        // Still serving.
        Assert.NotEmpty((await engine.CompleteAsync(StoriesModelFixture.Greedy("Once", 4))).Text);
    }

    [Fact]
    public async Task NegativeMaxTokens()
    {
        var ex = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy("Once", -1)));
        Assert.Equal("MaxTokens", ex.Parameter);
    }

    [Fact]
    public async Task InvalidSamplingSetting()
    {
        var request = StoriesModelFixture.Greedy("Once", 4) with { Sampling = new SamplerSettings { TopP = 1.5f } };
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Engine.CompleteAsync(request));
        Assert.Contains("TopP", ex.Message);
    }

    [Fact]
    public void ZeroContextIsRejectedNamingTheKey()
    {
        var options = StoriesModelFixture.Options();
        options.ContextSize = 0;
        var ex = Assert.Throws<OptionsValidationException>(() => LlamaEngine.Create(fixture.Model, options));
        Assert.Contains("Llama:ContextSize", ex.Message);
    }

    [Fact]
    public void OutOfRangeTokenNeverReachesNative()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Model.Detokenize([fixture.Model.VocabCount + 5]));
        Assert.Contains("outside the vocabulary", ex.Message);
    }

    [Fact]
    public async Task CancellationMidStream()
    {
        using var cts = new CancellationTokenSource();
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in fixture.Engine.GenerateAsync(StoriesModelFixture.Greedy("Once upon a time", 400), cts.Token))
                if (++received == 5) cts.Cancel();
        });
        Assert.True(received >= 5 && received < 400);
        // The slot was freed: the engine keeps serving.
        var after = await fixture.Engine.CompleteAsync(StoriesModelFixture.Greedy("Once upon a time", 8));
        Assert.Equal(8, after.CompletionTokens);
    }

    [Fact]
    public async Task BreakingOutOfTheStreamFreesTheSlot()
    {
        using var engine = LlamaEngine.Create(fixture.Model, StoriesModelFixture.Options(parallel: 1));
        for (var i = 0; i < 3; i++)
            await foreach (var _ in engine.GenerateAsync(StoriesModelFixture.Greedy("Once upon a time", 400)))
                break;
        var result = await engine.CompleteAsync(StoriesModelFixture.Greedy("Once upon a time", 4));
        Assert.Equal(4, result.CompletionTokens);
        Assert.Equal(0, engine.BusySlots);
    }
}
