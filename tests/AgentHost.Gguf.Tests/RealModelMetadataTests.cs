using AgentHost.Tests;

namespace AgentHost.Gguf.Tests;

/// <summary>Reads the shared test models and checks the facts /work/shared/README.md states about them.</summary>
public sealed class RealModelMetadataTests
{
    [Fact]
    public void Stories260K_matches_its_documented_facts()
    {
        var file = GgufFile.Read(TestAssets.Stories260K);

        Assert.Equal(Path.GetFullPath(TestAssets.Stories260K), file.FilePath);
        Assert.Equal(1185376, file.FileSize);
        Assert.Equal("llama", file.Architecture);
        Assert.True(GgufArchitectures.IsSupported(file.Architecture));
        Assert.Equal(5, file.BlockCount);
        Assert.Equal(64, file.EmbeddingLength);
        Assert.Equal(512, file.TokenCount);
        Assert.Equal(1, file.BosTokenId);
        Assert.Equal(2, file.EosTokenId);
        Assert.Null(file.PadTokenId); // stored as 0xFFFFFFFF: "no padding token"
        Assert.Null(file.ChatTemplate);
        Assert.Equal("llama", file.TokenizerModel); // SentencePiece
        Assert.All(file.Tensors, t => Assert.Equal(GgmlType.F32, t.Type));
        Assert.InRange(file.ParameterCount, 285_000, 295_000); // "0.29 M parameters"
        Assert.Equal(file.TokenCount, file.Get<string[]>(GgufKeys.Tokens).Length);
        Assert.Equal("<s>", file.Get<string[]>(GgufKeys.Tokens)[file.BosTokenId!.Value]);
        Assert.Equal("</s>", file.Get<string[]>(GgufKeys.Tokens)[file.EosTokenId!.Value]);

        var embedding = file.FindTensor("token_embd.weight");
        Assert.NotNull(embedding);
        Assert.Equal([64L, 512L], embedding.Dimensions);
        Assert.Equal(5, file.Tensors.Count(t => t.Name.EndsWith(".attn_q.weight", StringComparison.Ordinal)));
    }

    [Fact]
    public void TinyRandomLlama2_matches_its_documented_facts()
    {
        var file = GgufFile.Read(TestAssets.TinyRandomLlama2);

        Assert.Equal(1750560, file.FileSize);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal(1, file.BlockCount);
        Assert.Equal(8, file.EmbeddingLength);
        Assert.Equal(32000, file.TokenCount);
        Assert.Equal(1, file.BosTokenId);
        Assert.Equal(2, file.EosTokenId);
        Assert.Equal("F16", file.FileTypeName);
        // "random F16 weights": every matrix is F16, the 1-D norms stay F32.
        Assert.All(file.Tensors, t => Assert.Equal(t.Dimensions.Count == 1 ? GgmlType.F32 : GgmlType.F16, t.Type));
    }

    [Theory]
    [InlineData("stories260K.gguf")]
    [InlineData("llama-2-tiny-random.gguf")]
    public void Tensor_data_is_packed_aligned_and_inside_the_file(string name)
    {
        var file = GgufFile.Read(Path.Combine(TestAssets.SharedModels, name));

        Assert.Equal(3u, file.Version);
        Assert.Equal(GgufFile.DefaultAlignment, file.Alignment);
        Assert.Equal(0, file.DataOffset % file.Alignment);
        ulong expected = 0; // llama.cpp requires each tensor right after the previous one's aligned end
        foreach (var tensor in file.Tensors)
        {
            Assert.Equal(expected, tensor.Offset);
            Assert.Equal(file.DataOffset + (long)tensor.Offset, tensor.DataOffset);
            Assert.True(tensor.DataOffset + tensor.ByteSize <= file.FileSize, tensor.ToString());
            expected += (ulong)((tensor.ByteSize + file.Alignment - 1) / file.Alignment * file.Alignment);
        }
        Assert.Equal(file.FileSize, file.DataOffset + (long)expected);
    }

    [Fact]
    public void Hyperparameter_accessors_agree_with_the_raw_architecture_keys()
    {
        var file = GgufFile.Read(TestAssets.Stories260K);
        var arch = file.Architecture!;

        Assert.Equal((int)file.Get<uint>($"{arch}.context_length"), file.ContextLength);
        Assert.Equal((int)file.Get<uint>($"{arch}.attention.head_count"), file.HeadCount);
        Assert.Equal((int)file.Get<uint>($"{arch}.attention.head_count_kv"), file.HeadCountKv);
        Assert.Equal((int)file.Get<uint>($"{arch}.feed_forward_length"), file.FeedForwardLength);
        Assert.Equal(file.FeedForwardLength, (int)file.FindTensor("blk.0.ffn_up.weight")!.Dimensions[1]);
        Assert.Equal(file.EmbeddingLength! / file.HeadCount! * file.HeadCountKv!, (int)file.FindTensor("blk.0.attn_k.weight")!.Dimensions[1]);
    }

    [Fact]
    public void Tensor_data_can_be_read_back_and_holds_finite_weights()
    {
        var file = GgufFile.Read(TestAssets.Stories260K);
        var norm = file.FindTensor("output_norm.weight")!;

        var bytes = file.ReadTensorData(norm);

        Assert.Equal(norm.ByteSize, bytes.Length);
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
        Assert.Contains(values, v => v != 0f);
    }
}
