using AgentHost.Llama;
using AgentHost.Llama.Embeddings;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using AgentHost.Native;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Tests;

/// <summary>stories260K loaded once for the embedding tests.</summary>
public sealed class StoriesModelFixture : IDisposable
{
    public LlamaModel Model { get; } = LlamaModel.Load(TestAssets.Stories260K, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });

    public static LlamaOptions Options(int context = 256) => new() { ModelPath = TestAssets.Stories260K, ContextSize = context, Threads = 2, Backend = LlamaBackendKind.Cpu };

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// <see cref="LlamaEmbeddingGenerator"/> on the real model: vectors of n_embd floats, unit length, deterministic,
/// independent of batching, inputs past one decode chunk, limits. (Agreement with llama.cpp's own mean pooling
/// is checked against llama-server in docs/serving.md.)
/// </summary>
public class EmbeddingGeneratorTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    [Fact]
    public async Task VectorsAreUnitLengthDeterministicAndBatchIndependent()
    {
        using var generator = new LlamaEmbeddingGenerator(fixture.Model, StoriesModelFixture.Options());
        var texts = new[] { "The cat sat on the mat.", "A big red truck drove by.", "The cat sat on the mat." };
        var batch = await generator.GenerateAsync(texts);
        Assert.Equal(3, batch.Count);
        Assert.Equal(fixture.Model.Handle.EmbeddingLength, generator.Dimensions);
        foreach (var e in batch)
        {
            Assert.Equal(generator.Dimensions, e.Vector.Length);
            Assert.Equal(1.0, Math.Sqrt(Dot(e.Vector.Span, e.Vector.Span)), 5);
            Assert.Equal("stories260K", e.ModelId);
        }
        Assert.True(batch[0].Vector.Span.SequenceEqual(batch[2].Vector.Span));
        Assert.True(Dot(batch[0].Vector.Span, batch[1].Vector.Span) < 0.9999);
        var single = await generator.GenerateAsync([texts[1]]);
        Assert.True(single[0].Vector.Span.SequenceEqual(batch[1].Vector.Span));
        var tokens = texts.Sum(t => fixture.Model.Tokenize(t, addSpecial: true, parseSpecial: false).Length);
        Assert.Equal(tokens, batch.Usage?.InputTokenCount);
        Assert.Equal(generator.Dimensions, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    [Fact]
    public async Task InputsLongerThanOneChunkAreEmbeddedWhole()
    {
        // 100 tokens: two decode chunks of 64 and 36, the second attending to the first through the KV cache.
        using var generator = new LlamaEmbeddingGenerator(fixture.Model, StoriesModelFixture.Options());
        var all = fixture.Model.Tokenize(string.Join(' ', Enumerable.Repeat("the little girl saw a big dog in the park", 10)), addSpecial: true, parseSpecial: false);
        var text = fixture.Model.Detokenize(all.AsSpan(1, 99));
        var prefix = fixture.Model.Detokenize(all.AsSpan(1, 63));
        var e = await generator.GenerateAsync([text, prefix, text]);
        Assert.Equal(100, fixture.Model.Tokenize(text, true, false).Length);
        Assert.All(e, v => Assert.All(v.Vector.ToArray(), x => Assert.True(float.IsFinite(x))));
        Assert.Equal(1.0, Math.Sqrt(Dot(e[0].Vector.Span, e[0].Vector.Span)), 5);
        // The second chunk counts: the whole text's mean is not its first chunk's.
        Assert.True(Dot(e[0].Vector.Span, e[1].Vector.Span) < 0.99999);
        // The KV cache is cleared between inputs: the same text gives the same vector after another one.
        Assert.True(e[0].Vector.Span.SequenceEqual(e[2].Vector.Span));
    }

    [Fact]
    public async Task TooLongInputIsAContextOverflow()
    {
        using var generator = new LlamaEmbeddingGenerator(fixture.Model, StoriesModelFixture.Options(context: 32));
        var text = string.Join(' ', Enumerable.Repeat("once upon a time", 20));
        await Assert.ThrowsAsync<ContextOverflowException>(() => generator.GenerateAsync([text]));
        // The generator still works afterwards.
        Assert.Single(await generator.GenerateAsync(["short"]));
    }

    [Fact]
    public async Task WrongDimensionsOrModelAreInvalidRequests()
    {
        using var generator = new LlamaEmbeddingGenerator(fixture.Model, StoriesModelFixture.Options());
        var dims = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 7 }));
        Assert.Equal("dimensions", dims.Parameter);
        var model = await Assert.ThrowsAsync<InvalidGenerationRequestException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "other" }));
        Assert.Equal("model", model.Parameter);
    }
}
