using System.Security.Cryptography;
using AgentHost.Gguf.Tests.Support;
using AgentHost.Tests;

namespace AgentHost.Gguf.Tests;

/// <summary>Synthetic models: deterministic bytes, the tensors and keys llama.cpp v0.5.0 needs, a copied real tokenizer.</summary>
public sealed class SyntheticModelTests : IDisposable
{
    private readonly TempDirectory _temp = new("gguf-synthetic");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Same_spec_and_seed_give_identical_bytes_and_another_seed_differs()
    {
        var dir = _temp.Path;
        var spec = SyntheticModelSpec.Tiny with { TensorType = GgmlType.Q8_0, Seed = 42 };
        var vocab = TestAssets.VocabGguf("qwen2");
        var template = File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct"));

        SyntheticModelWriter.Write(spec, vocab, template, Path.Combine(dir, "a.gguf"));
        SyntheticModelWriter.Write(spec, vocab, template, Path.Combine(dir, "b.gguf"));
        SyntheticModelWriter.Write(spec with { Seed = 43 }, vocab, template, Path.Combine(dir, "c.gguf"));

        var a = File.ReadAllBytes(Path.Combine(dir, "a.gguf"));
        var b = File.ReadAllBytes(Path.Combine(dir, "b.gguf"));
        var c = File.ReadAllBytes(Path.Combine(dir, "c.gguf"));
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
        Assert.Equal(a.Length, c.Length);
        Assert.NotEqual(SHA256.HashData(a), SHA256.HashData(c));

        // The seed changes every tensor's values, not only some.
        var fileA = GgufFile.Read(Path.Combine(dir, "a.gguf"));
        var fileC = GgufFile.Read(Path.Combine(dir, "c.gguf"));
        foreach (var tensor in fileA.Tensors)
            Assert.False(fileA.ReadTensorData(tensor).AsSpan().SequenceEqual(fileC.ReadTensorData(fileC.FindTensor(tensor.Name)!)), tensor.Name);
        Assert.False(File.Exists(Path.Combine(dir, "a.gguf.partial")));
    }

    [Theory]
    [InlineData("qwen2", "qwen2", true, GgmlType.Q8_0)]
    [InlineData("qwen2", "qwen2", false, GgmlType.F16)]
    [InlineData("llama", "llama-spm", false, GgmlType.F32)]
    [InlineData("llama", "llama-bpe", true, GgmlType.Q8_0)]
    public void Tensor_list_has_the_names_shapes_and_types_llama_cpp_expects(string architecture, string vocabName, bool tied, GgmlType type)
    {
        var spec = SyntheticModelSpec.Tiny with { Architecture = architecture, TiedEmbeddings = tied, TensorType = type };
        var file = WriteTemp(spec, vocabName, template: null);
        var vocab = GgufFile.Read(TestAssets.VocabGguf(vocabName)).TokenCount!.Value;

        // From load_arch_tensors in src/models/llama.cpp and src/models/qwen2.cpp (ggml order: {n_embd, n_vocab}).
        long embd = spec.EmbeddingLength, ff = spec.FeedForwardLength, kv = spec.HeadCountKv * (spec.EmbeddingLength / spec.HeadCount);
        var expected = new Dictionary<string, long[]>
        {
            ["token_embd.weight"] = [embd, vocab],
            ["output_norm.weight"] = [embd],
        };
        if (!tied) expected["output.weight"] = [embd, vocab];
        for (var i = 0; i < spec.BlockCount; i++)
        {
            expected[$"blk.{i}.attn_norm.weight"] = [embd];
            expected[$"blk.{i}.attn_q.weight"] = [embd, embd];
            expected[$"blk.{i}.attn_k.weight"] = [embd, kv];
            expected[$"blk.{i}.attn_v.weight"] = [embd, kv];
            expected[$"blk.{i}.attn_output.weight"] = [embd, embd];
            expected[$"blk.{i}.ffn_norm.weight"] = [embd];
            expected[$"blk.{i}.ffn_gate.weight"] = [embd, ff];
            expected[$"blk.{i}.ffn_up.weight"] = [embd, ff];
            expected[$"blk.{i}.ffn_down.weight"] = [ff, embd];
            if (architecture == "qwen2")
            {
                expected[$"blk.{i}.attn_q.bias"] = [embd];
                expected[$"blk.{i}.attn_k.bias"] = [kv];
                expected[$"blk.{i}.attn_v.bias"] = [kv];
            }
        }

        Assert.Equal(expected.Keys.Order(), file.Tensors.Select(t => t.Name).Order());
        foreach (var tensor in file.Tensors)
        {
            Assert.Equal(expected[tensor.Name], tensor.Dimensions);
            Assert.Equal(tensor.Dimensions.Count == 1 ? GgmlType.F32 : type, tensor.Type); // 1-D tensors stay F32
        }
        Assert.Equal(expected.Values.Sum(d => d.Aggregate(1L, (p, x) => p * x)), file.ParameterCount);
    }

    [Fact]
    public void Metadata_has_the_hyperparameters_the_tokenizer_and_the_template()
    {
        var spec = SyntheticModelSpec.Tiny with { TensorType = GgmlType.F16, RopeFreqBase = 1e6f, ContextLength = 4096 };
        var template = File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct"));
        var file = WriteTemp(spec, "qwen2", template);
        var vocab = GgufFile.Read(TestAssets.VocabGguf("qwen2"));

        Assert.Equal("qwen2", file.Architecture);
        Assert.Equal(spec.Name, file.Name);
        Assert.Equal("F16", file.FileTypeName);
        Assert.Equal(spec.EmbeddingLength, file.EmbeddingLength);
        Assert.Equal(spec.BlockCount, file.BlockCount);
        Assert.Equal(spec.HeadCount, file.HeadCount);
        Assert.Equal(spec.HeadCountKv, file.HeadCountKv);
        Assert.Equal(spec.FeedForwardLength, file.FeedForwardLength);
        Assert.Equal(4096, file.ContextLength);
        Assert.Equal(1e6f, file.Get<float>("qwen2.rope.freq_base"));
        Assert.Equal(spec.RmsEpsilon, file.Get<float>("qwen2.attention.layer_norm_rms_epsilon"));
        Assert.Equal((uint)spec.HeadDimension, file.Get<uint>("qwen2.rope.dimension_count"));
        Assert.Equal(template, file.ChatTemplate);
        Assert.NotEqual(vocab.ChatTemplate, file.ChatTemplate);

        // Every tokenizer key is copied unchanged (except the replaced template), vocab, merges and pre-tokenizer included.
        var tokenizerKeys = vocab.Metadata.Keys.Where(k => k.StartsWith("tokenizer.", StringComparison.Ordinal) && k != GgufKeys.ChatTemplate).ToList();
        Assert.Contains("tokenizer.ggml.merges", tokenizerKeys);
        Assert.Contains("tokenizer.ggml.pre", tokenizerKeys);
        foreach (var key in tokenizerKeys) Assert.Equal(vocab.Metadata[key], file.Metadata[key]);
        Assert.Equal("qwen2", file.Get<string>("tokenizer.ggml.pre"));
        Assert.Equal(vocab.TokenCount, file.TokenCount);
        Assert.Equal(vocab.EosTokenId, file.EosTokenId);
        Assert.Equal((uint)vocab.TokenCount!.Value, file.Get<uint>("qwen2.vocab_size"));
    }

    [Fact]
    public void Without_a_template_the_vocab_files_own_is_kept()
    {
        var withVocabTemplate = WriteTemp(SyntheticModelSpec.Tiny with { TensorType = GgmlType.Q8_0 }, "qwen2", template: null);
        Assert.Equal(GgufFile.Read(TestAssets.VocabGguf("qwen2")).ChatTemplate, withVocabTemplate.ChatTemplate);

        var llama = WriteTemp(SyntheticModelSpec.Tiny with { Architecture = "llama" }, "llama-spm", template: null);
        Assert.Null(llama.ChatTemplate);
        Assert.True(llama.Get<bool>("tokenizer.ggml.add_bos_token"));
        Assert.Equal(1, llama.BosTokenId);
    }

    [Fact]
    public void Weights_are_small_and_norms_are_near_one()
    {
        var file = WriteTemp(SyntheticModelSpec.Tiny with { TiedEmbeddings = false }, "llama-spm", template: null);

        float[] Values(string name) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(file.ReadTensorData(file.FindTensor(name)!)).ToArray();
        var norm = Values("blk.0.attn_norm.weight");
        var weights = Values("blk.1.ffn_down.weight");
        var output = Values("output.weight");

        Assert.All(norm, v => Assert.InRange(v, 0.95f, 1.05f));
        Assert.All(weights, v => Assert.InRange(v, -0.05f, 0.05f));
        var std = Math.Sqrt(weights.Average(v => (double)v * v));
        Assert.InRange(std, 0.015, 0.025);
        Assert.True(weights.Distinct().Count() > weights.Length / 2, "weights look constant");
        Assert.False(output.AsSpan(0, 64).SequenceEqual(output.AsSpan(64, 64)), "rows repeat");
    }

    [Fact]
    public void The_Qwen25_0_5B_shape_streams_without_holding_the_file_in_memory()
    {
        var spec = SyntheticModelSpec.Qwen25_0_5B with { TensorType = GgmlType.Q8_0 };
        var vocab = GgufFile.Read(TestAssets.VocabGguf("qwen2"));
        var sink = new CountingStream();
        var progress = new List<double>();

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        SyntheticModelWriter.Write(spec, vocab, chatTemplate: null, sink, new SynchronousProgress(progress.Add));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        // The Qwen2.5-0.5B parameter count: 494 M.
        long embd = 896, ff = 4864, kv = 128, layers = 24, vocabSize = vocab.TokenCount!.Value;
        var perLayer = embd * embd * 2 + embd * kv * 2 + embd * ff * 3 + embd * 2 + embd + kv * 2;
        var parameters = embd * vocabSize + layers * perLayer + embd;
        Assert.InRange(parameters, 493_000_000, 495_000_000);
        Assert.True(sink.Length > parameters * 34 / 32, $"{sink.Length} bytes written");
        Assert.True(allocated < 100L << 20, $"{allocated >> 20} MiB allocated while writing {sink.Length >> 20} MiB");
        Assert.Equal(1.0, progress[^1]);
        Assert.Single(progress, p => p == 1.0);
        Assert.True(progress.Count > 50);
        Assert.Equal(progress.Order(), progress);
    }

    [Fact]
    public void Presets_have_the_published_shapes()
    {
        var half = SyntheticModelSpec.Qwen25_0_5B;
        Assert.Equal((896, 24, 14, 2, 4864, 32768, 1e6f, true), (half.EmbeddingLength, half.BlockCount, half.HeadCount, half.HeadCountKv, half.FeedForwardLength, half.ContextLength, half.RopeFreqBase, half.TiedEmbeddings));
        var oneAndHalf = SyntheticModelSpec.Qwen25_1_5B;
        Assert.Equal((1536, 28, 12, 2, 8960), (oneAndHalf.EmbeddingLength, oneAndHalf.BlockCount, oneAndHalf.HeadCount, oneAndHalf.HeadCountKv, oneAndHalf.FeedForwardLength));
        foreach (var spec in new[] { SyntheticModelSpec.Tiny, half, oneAndHalf })
            foreach (var type in new[] { GgmlType.F32, GgmlType.F16, GgmlType.Q8_0 })
                (spec with { TensorType = type }).Validate();
    }

    [Fact]
    public void Invalid_specs_and_vocabularies_are_rejected_clearly()
    {
        var tiny = SyntheticModelSpec.Tiny;
        Assert.Contains("HeadCount", Assert.Throws<ArgumentException>(() => (tiny with { HeadCount = 5 }).Validate()).Message);
        Assert.Contains("HeadCountKv", Assert.Throws<ArgumentException>(() => (tiny with { HeadCountKv = 3 }).Validate()).Message);
        Assert.Contains("gpt2", Assert.Throws<ArgumentException>(() => (tiny with { Architecture = "gpt2" }).Validate()).Message);
        Assert.Contains("Q8_0", Assert.Throws<ArgumentException>(() => (tiny with { FeedForwardLength = 100, TensorType = GgmlType.Q8_0 }).Validate()).Message);

        var dir = _temp.Path;
        var noTokens = Path.Combine(dir, "no-tokens.gguf");
        using (var writer = new GgufWriter(noTokens))
        {
            writer.AddMetadata(GgufKeys.Architecture, "llama");
            writer.Finish();
        }
        var error = Assert.Throws<GgufMetadataException>(() => SyntheticModelWriter.Write(tiny, noTokens, null, Path.Combine(dir, "out.gguf")));
        Assert.Equal(GgufKeys.Tokens, error.Key);
        Assert.False(File.Exists(Path.Combine(dir, "out.gguf")));
        Assert.False(File.Exists(Path.Combine(dir, "out.gguf.partial")));
        Assert.Throws<GgufFormatException>(() => SyntheticModelWriter.Write(tiny, TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct"), null, Path.Combine(dir, "out.gguf")));
    }

    private GgufFile WriteTemp(SyntheticModelSpec spec, string vocabName, string? template)
    {
        var path = _temp.File($"model-{Guid.NewGuid():N}.gguf");
        SyntheticModelWriter.Write(spec, TestAssets.VocabGguf(vocabName), template, path);
        return GgufFile.Read(path);
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    /// <summary>A write-only sink that keeps nothing but the byte count.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
