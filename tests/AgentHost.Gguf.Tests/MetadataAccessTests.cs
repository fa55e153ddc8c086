using AgentHost.Gguf.Tests.Support;

namespace AgentHost.Gguf.Tests;

/// <summary>Typed metadata access: exact types, integer widening, and errors that name the key and both types.</summary>
public sealed class MetadataAccessTests
{
    private static GgufFile Sample() => GgufParse.Bytes(new GgufBytes().Header(3, 0, 6)
        .KvStr(GgufKeys.Architecture, "llama")
        .Str("llama.block_count").U32((uint)GgufValueType.UInt16).Raw(7, 0)
        .Str("llama.attention.head_count").U32((uint)GgufValueType.Array).U32((uint)GgufValueType.Int32).U64(3).U32(4).U32(8).U32(2)
        .KvU32(GgufKeys.FileType, 15)
        .KvU32(GgufKeys.EosTokenId, 0xFFFFFFFF)
        .KvStr("llama.context_length", "not a number")
        .ToArray());

    [Fact]
    public void TryGet_and_Get_return_exact_types()
    {
        var file = Sample();

        Assert.True(file.TryGet<string>(GgufKeys.Architecture, out var arch));
        Assert.Equal("llama", arch);
        Assert.Equal((ushort)7, file.Get<ushort>("llama.block_count"));
        Assert.Equal([4, 8, 2], file.Get<int[]>("llama.attention.head_count"));
        Assert.False(file.TryGet<string>("missing.key", out _));
    }

    [Fact]
    public void Wrong_type_names_the_key_and_both_types()
    {
        var file = Sample();

        var error = Assert.Throws<GgufMetadataException>(() => file.Get<uint>("llama.block_count"));
        Assert.Equal("llama.block_count", error.Key);
        Assert.Equal("uint32", error.ExpectedType);
        Assert.Equal("uint16", error.ActualType);
        Assert.Contains("'llama.block_count'", error.Message);
        Assert.Contains("uint16", error.Message);
        Assert.Contains("uint32", error.Message);

        var arrayError = Assert.Throws<GgufMetadataException>(() => file.TryGet<string[]>("llama.attention.head_count", out _));
        Assert.Equal("array[string]", arrayError.ExpectedType);
        Assert.Equal("array[int32]", arrayError.ActualType);

        var missing = Assert.Throws<GgufMetadataException>(() => file.Get<string>("general.nothing"));
        Assert.Equal("general.nothing", missing.Key);
        Assert.Null(missing.ActualType);
        Assert.Contains("missing", missing.Message);

        var notInteger = Assert.Throws<GgufMetadataException>(() => file.ContextLength);
        Assert.Contains("llama.context_length", notInteger.Message);
    }

    [Fact]
    public void Convenience_accessors_widen_integers_and_summarise_per_layer_arrays()
    {
        var file = Sample();

        Assert.Equal(7, file.BlockCount);       // stored as uint16
        Assert.Equal(8, file.HeadCount);        // per-layer array: the largest
        Assert.Equal(8, file.HeadCountKv);      // absent: falls back to the head count, as llama.cpp does
        Assert.Equal("Q4_K_M", file.FileTypeName);
        Assert.Null(file.EosTokenId);           // 0xFFFFFFFF means "none"
        Assert.Null(file.TokenCount);
        Assert.Null(file.ChatTemplate);
        Assert.Equal(7, file.Metadata.GetInteger("llama.block_count"));
    }

    [Theory]
    [InlineData(0, "F32")]
    [InlineData(1, "F16")]
    [InlineData(7, "Q8_0")]
    [InlineData(15, "Q4_K_M")]
    [InlineData(18, "Q6_K")]
    [InlineData(32, "BF16")]
    [InlineData(4, null)]
    [InlineData(1024, null)]
    public void File_type_names_follow_llama_ftype(int fileType, string? name) => Assert.Equal(name, GgufFileTypes.GetName(fileType));

    [Fact]
    public void Accessors_on_a_real_file_without_architecture_keys_return_null()
    {
        using var temp = new TempDirectory("gguf-empty");
        var path = temp.File("empty.gguf");
        using (var writer = new GgufWriter(path)) writer.Finish();

        var file = GgufFile.Read(path);

        Assert.Empty(file.Metadata);
        Assert.Empty(file.Tensors);
        Assert.Null(file.Architecture);
        Assert.Null(file.BlockCount);
        Assert.Equal(0, file.ParameterCount);
    }
}
