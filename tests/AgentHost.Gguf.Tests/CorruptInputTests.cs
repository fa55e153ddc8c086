using AgentHost.Gguf.Tests.Support;
using AgentHost.Tests;

namespace AgentHost.Gguf.Tests;

/// <summary>Bad input always gives a <see cref="GgufFormatException"/> naming the file, the offset and the problem.</summary>
public sealed class CorruptInputTests
{
    [Fact]
    public void Truncating_a_real_model_anywhere_gives_a_format_error()
    {
        var bytes = File.ReadAllBytes(TestAssets.Stories260K);
        var dataOffset = GgufFile.Read(TestAssets.Stories260K).DataOffset;

        // Every offset through the header (magic, counts, all metadata, tensor infos, padding), then a stride
        // through the tensor data, which must be reported as data beyond the end of the file.
        var lengths = Enumerable.Range(0, (int)dataOffset + 1)
            .Concat(Enumerable.Range(0, 200).Select(i => (int)dataOffset + 1 + i * ((bytes.Length - (int)dataOffset - 2) / 200)))
            .Append(bytes.Length - 1);
        var checkedCount = 0;
        foreach (var length in lengths)
        {
            var error = GgufParse.Fails(bytes, length);
            if (length < 4) Assert.Contains("magic", error.Reading);
            if (length > dataOffset) Assert.Contains("beyond the end of the file", error.Problem);
            checkedCount++;
        }
        Assert.True(checkedCount > 14000);
        Assert.Equal(bytes.Length, GgufParse.Bytes(bytes).FileSize); // the untruncated file is fine
    }

    [Fact]
    public void Truncating_a_vocab_file_inside_its_arrays_names_the_key()
    {
        var bytes = File.ReadAllBytes(TestAssets.VocabGguf("qwen2"));

        // Early cuts leave too few bytes for the array's count (rejected before reading it),
        // later cuts run out of bytes inside the array.
        var problems = new HashSet<string>();
        for (var length = bytes.Length / 8; length < bytes.Length; length += bytes.Length / 8)
        {
            var error = GgufParse.Fails(bytes, length);
            Assert.Contains("metadata key 'tokenizer.", error.Reading);
            Assert.InRange(error.Offset, 0, length);
            problems.Add(error.Problem.Contains("unexpected end of file") ? "end" : error.Problem.Contains("impossible") ? "count" : error.Problem);
        }
        Assert.Equal(["count", "end"], problems.Order());
    }

    [Fact]
    public void Bad_magic_is_not_a_gguf_file()
    {
        var error = GgufParse.Fails("GGML\x03\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"u8.ToArray());
        Assert.Equal(0, error.Offset);
        Assert.Contains("not a GGUF file", error.Problem);
        GgufParse.Fails("PK\x03\x04 this is a zip file, not a model"u8.ToArray());
        GgufParse.Fails([]);
    }

    [Theory]
    [InlineData(0u, "version 0")]
    [InlineData(1u, "version 1")]
    [InlineData(4u, "version 4")]
    [InlineData(0x03000000u, "byte-swapped")]
    public void Unsupported_versions_are_rejected(uint version, string expected)
    {
        var error = GgufParse.Fails(new GgufBytes().Header(version, 0, 0).ToArray());
        Assert.Equal(4, error.Offset);
        Assert.Contains(expected, error.Problem);
    }

    [Fact]
    public void Version_2_files_are_read()
    {
        var file = GgufParse.Bytes(new GgufBytes().Header(2, 0, 1).KvStr(GgufKeys.Architecture, "llama").ToArray());
        Assert.Equal(2u, file.Version);
        Assert.Equal("llama", file.Architecture);
    }

    [Fact]
    public void Absurd_counts_and_lengths_are_rejected_before_allocating()
    {
        var manyKeys = GgufParse.Fails(new GgufBytes().Header(3, 0, 1UL << 60).ToArray());
        Assert.Equal(16, manyKeys.Offset);
        Assert.Contains("impossible", manyKeys.Problem);

        var manyTensors = GgufParse.Fails(new GgufBytes().Header(3, ulong.MaxValue, 0).ToArray());
        Assert.Equal(8, manyTensors.Offset);

        var longKey = GgufParse.Fails(new GgufBytes().Header(3, 0, 1).U64(1UL << 40).Zeros(16).ToArray());
        Assert.Equal(24, longKey.Offset);

        var longString = GgufParse.Fails(new GgufBytes().Header(3, 0, 1).Str("k").U32((uint)GgufValueType.String).U64(ulong.MaxValue).ToArray());
        Assert.Equal(24 + 8 + 1 + 4, longString.Offset);
        Assert.Contains("'k'", longString.Reading);

        var longArray = GgufParse.Fails(new GgufBytes().Header(3, 0, 1).Str("arr")
            .U32((uint)GgufValueType.Array).U32((uint)GgufValueType.UInt64).U64(1_000_000).Zeros(64).ToArray());
        Assert.Equal(24 + 8 + 3 + 4 + 4, longArray.Offset);
        Assert.Contains("'arr'", longArray.Reading);

        var manyStrings = GgufParse.Fails(new GgufBytes().Header(3, 0, 1).Str("s")
            .U32((uint)GgufValueType.Array).U32((uint)GgufValueType.String).U64(100).Zeros(8 * 99).ToArray());
        Assert.Contains("impossible", manyStrings.Problem);
    }

    [Fact]
    public void Unknown_value_types_and_nested_arrays_are_rejected()
    {
        var unknown = GgufParse.Fails(new GgufBytes().Header(3, 0, 1).Str("key").U32(13).U32(0).ToArray());
        Assert.Equal(24 + 8 + 3, unknown.Offset);
        Assert.Contains("unknown value type 13", unknown.Problem);
        Assert.Contains("'key'", unknown.Reading);

        var unknownElement = GgufParse.Fails(new GgufBytes().Header(3, 0, 1).Str("key").U32(9).U32(77).U64(0).ToArray());
        Assert.Contains("unknown array element type 77", unknownElement.Problem);

        var nested = GgufParse.Fails(new GgufBytes().Header(3, 0, 1).Str("key").U32(9).U32(9).U64(1).U32(4).U64(0).ToArray());
        Assert.Contains("nested", nested.Problem);
    }

    [Fact]
    public void Repeated_and_empty_keys_are_rejected()
    {
        var repeated = GgufParse.Fails(new GgufBytes().Header(3, 0, 2).KvU32("a", 1).KvU32("a", 2).ToArray());
        Assert.Contains("repeated", repeated.Problem);
        Assert.Equal(24 + 8 + 1 + 4 + 4, repeated.Offset);
        GgufParse.Fails(new GgufBytes().Header(3, 0, 1).KvU32("", 1).ToArray());
    }

    [Fact]
    public void Bad_alignment_is_rejected()
    {
        Assert.Contains("power of two", GgufParse.Fails(new GgufBytes().Header(3, 0, 1).KvU32(GgufKeys.Alignment, 24).ToArray()).Problem);
        Assert.Contains("uint32", GgufParse.Fails(new GgufBytes().Header(3, 0, 1).KvStr(GgufKeys.Alignment, "32").ToArray()).Problem);
    }

    [Fact]
    public void Bad_tensor_infos_are_rejected()
    {
        static GgufBytes OneTensor() => new GgufBytes().Header(3, 1, 0);

        Assert.Contains("unknown or removed ggml type 4", GgufParse.Fails(OneTensor().Tensor("t", (GgmlType)4, 0, 32).Pad().Zeros(128).ToArray()).Problem);
        Assert.Contains("unknown or removed ggml type 99", GgufParse.Fails(OneTensor().Tensor("t", (GgmlType)99, 0, 32).Pad().Zeros(128).ToArray()).Problem);
        Assert.Contains("5 dimensions", GgufParse.Fails(OneTensor().Tensor("t", GgmlType.F32, 0, 1, 1, 1, 1, 1).Pad().Zeros(32).ToArray()).Problem);
        Assert.Contains("block size", GgufParse.Fails(OneTensor().Tensor("t", GgmlType.Q8_0, 0, 48).Pad().Zeros(64).ToArray()).Problem);
        Assert.Contains("overflows", GgufParse.Fails(OneTensor().Tensor("t", GgmlType.F32, 0, 1UL << 40, 1UL << 40).Pad().ToArray()).Problem);
        Assert.Contains("int64", GgufParse.Fails(OneTensor().Tensor("t", GgmlType.F32, 0, ulong.MaxValue).Pad().ToArray()).Problem);
        Assert.Contains("not a multiple of the alignment", GgufParse.Fails(OneTensor().Tensor("t", GgmlType.F32, 4, 4).Pad().Zeros(64).ToArray()).Problem);
        Assert.Contains("longer than 63 bytes", GgufParse.Fails(OneTensor().Tensor(new string('x', 64), GgmlType.F32, 0, 1).Pad().Zeros(32).ToArray()).Problem);

        var repeated = new GgufBytes().Header(3, 2, 0).Tensor("t", GgmlType.F32, 0, 8).Tensor("t", GgmlType.F32, 32, 8).Pad().Zeros(64).ToArray();
        Assert.Contains("repeated", GgufParse.Fails(repeated).Problem);

        var beyond = GgufParse.Fails(OneTensor().Tensor("big", GgmlType.F32, 0, 1000).Pad().Zeros(100).ToArray());
        Assert.Contains("beyond the end of the file", beyond.Problem);
        Assert.Contains("'big'", beyond.Reading);
        Assert.Equal(24, beyond.Offset); // where the tensor's info starts

        var farOffset = GgufParse.Fails(OneTensor().Tensor("t", GgmlType.F32, 1UL << 62, 8).Pad().Zeros(32).ToArray());
        Assert.Contains("beyond the end of the file", farOffset.Problem);
    }

    [Fact]
    public void Random_garbage_gives_format_errors_only()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[random.Next(0, 512)];
            random.NextBytes(garbage);
            if (i % 2 == 0 && garbage.Length >= 8) // half of them pass the magic and version checks
            {
                "GGUF"u8.CopyTo(garbage);
                BitConverter.GetBytes(3u).CopyTo(garbage, 4);
            }
            GgufParse.Fails(garbage);
        }
    }

    [Fact]
    public void Mutating_bytes_of_a_real_header_never_escapes_as_another_exception()
    {
        var original = File.ReadAllBytes(TestAssets.Stories260K);
        var headerLength = (int)GgufFile.Read(TestAssets.Stories260K).DataOffset;
        var random = new Random(99);
        var failures = 0;
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var m = random.Next(1, 4); m > 0; m--) bytes[random.Next(headerLength)] = (byte)random.Next(256);
            try
            {
                GgufParse.Bytes(bytes); // some mutations (inside strings, scores) leave a valid file
            }
            catch (GgufFormatException e)
            {
                Assert.InRange(e.Offset, 0, bytes.Length);
                failures++;
            }
        }
        Assert.True(failures > 100, $"only {failures} mutations were detected");
    }

    [Fact]
    public void Non_seekable_streams_are_refused_up_front()
    {
        var error = Assert.Throws<ArgumentException>(() => GgufFile.Read(new NonSeekableStream()));
        Assert.Contains("seekable", error.Message);
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
