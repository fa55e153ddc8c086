using AgentHost.Gguf.Tests.Support;

namespace AgentHost.Gguf.Tests;

/// <summary>What <see cref="GgufWriter"/> writes, <see cref="GgufFile"/> reads back unchanged.</summary>
public sealed class WriterRoundTripTests
{
    private static readonly (string Key, GgufValue Value, GgufValueType Type)[] Scalars =
    [
        ("t.u8", (byte)250, GgufValueType.UInt8),
        ("t.i8", (sbyte)-120, GgufValueType.Int8),
        ("t.u16", (ushort)65000, GgufValueType.UInt16),
        ("t.i16", (short)-32000, GgufValueType.Int16),
        ("t.u32", 4_000_000_000u, GgufValueType.UInt32),
        ("t.i32", -2_000_000_000, GgufValueType.Int32),
        ("t.f32", 3.25e-7f, GgufValueType.Float32),
        ("t.f32.nan", float.NaN, GgufValueType.Float32),
        ("t.bool.true", true, GgufValueType.Bool),
        ("t.bool.false", false, GgufValueType.Bool),
        ("t.str", "héllo wörld ✓ 你好 🦙", GgufValueType.String),
        ("t.str.empty", "", GgufValueType.String),
        ("t.u64", ulong.MaxValue - 7, GgufValueType.UInt64),
        ("t.i64", long.MinValue + 3, GgufValueType.Int64),
        ("t.f64", -1.0e300, GgufValueType.Float64),
    ];

    private static readonly (string Key, GgufValue Value, GgufValueType Element)[] Arrays =
    [
        ("a.u8", new byte[] { 0, 1, 255 }, GgufValueType.UInt8),
        ("a.i8", new sbyte[] { -128, 0, 127 }, GgufValueType.Int8),
        ("a.u16", new ushort[] { 0, 65535 }, GgufValueType.UInt16),
        ("a.i16", new short[] { short.MinValue, -1, short.MaxValue }, GgufValueType.Int16),
        ("a.u32", new uint[] { 0, 1, uint.MaxValue }, GgufValueType.UInt32),
        ("a.i32", new[] { int.MinValue, 0, int.MaxValue }, GgufValueType.Int32),
        ("a.f32", new[] { 0f, -0.5f, float.MaxValue, float.Epsilon, float.NegativeInfinity }, GgufValueType.Float32),
        ("a.bool", new[] { true, false, true, true }, GgufValueType.Bool),
        ("a.str", new[] { "", "a", "Ġthe", "<|im_start|>", "\0inner\0nul" }, GgufValueType.String),
        ("a.u64", new[] { 0UL, ulong.MaxValue }, GgufValueType.UInt64),
        ("a.i64", new[] { long.MinValue, long.MaxValue }, GgufValueType.Int64),
        ("a.f64", new[] { Math.PI, double.MinValue, double.NaN }, GgufValueType.Float64),
        ("a.empty", Array.Empty<int>(), GgufValueType.Int32),
        ("a.str.empty", Array.Empty<string>(), GgufValueType.String),
    ];

    [Fact]
    public void Every_value_type_scalar_and_array_round_trips()
    {
        var bytes = Write(writer =>
        {
            foreach (var (key, value, _) in Scalars) writer.AddMetadata(key, value);
            foreach (var (key, value, _) in Arrays) writer.AddMetadata(key, value);
        });

        var file = GgufParse.Bytes(bytes);

        Assert.Equal(3u, file.Version);
        Assert.Equal(Scalars.Length + Arrays.Length, file.Metadata.Count);
        Assert.Equal(Scalars.Select(s => s.Key).Concat(Arrays.Select(a => a.Key)), file.Metadata.Keys); // file order kept
        foreach (var (key, value, type) in Scalars)
        {
            Assert.Equal(type, file.Metadata[key].Type);
            Assert.Equal(value, file.Metadata[key]);
        }
        foreach (var (key, value, element) in Arrays)
        {
            Assert.Equal(GgufValueType.Array, file.Metadata[key].Type);
            Assert.Equal(element, file.Metadata[key].ElementType);
            Assert.Equal(value, file.Metadata[key]);
        }
        Assert.Equal("héllo wörld ✓ 你好 🦙", file.Get<string>("t.str"));
        Assert.Equal(new[] { true, false, true, true }, file.Get<bool[]>("a.bool"));
        Assert.True(float.IsNaN(file.Get<float>("t.f32.nan")));
    }

    [Fact]
    public void Tensor_infos_round_trip_with_aligned_packed_offsets()
    {
        var bytes = Write(writer =>
        {
            writer.AddMetadata(GgufKeys.Architecture, "llama");
            writer.AddTensor("a", GgmlType.F32, 3);          // 12 bytes -> padded to 32
            writer.AddTensor("b", GgmlType.F16, 32, 2, 1);   // 128 bytes
            writer.AddTensor("c", GgmlType.Q8_0, 64, 3);     // 6 blocks * 34 = 204 bytes
            writer.AddTensor("d", GgmlType.Q4_K, 256);       // 1 block of 144 bytes, written raw
            writer.WriteTensorData("a", [1f, 2f, 3f]);
            writer.WriteTensorData("b", new float[64]);
            writer.WriteTensorData("c", new float[192]);
            writer.WriteTensorBytes("d", new byte[144]);
        });

        var file = GgufParse.Bytes(bytes);

        Assert.Equal(["a", "b", "c", "d"], file.Tensors.Select(t => t.Name));
        Assert.Equal([3L], file.Tensors[0].Dimensions);
        Assert.Equal([32L, 2L, 1L], file.Tensors[1].Dimensions);
        Assert.Equal([GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_K], file.Tensors.Select(t => t.Type));
        Assert.Equal([12L, 128L, 204L, 144L], file.Tensors.Select(t => t.ByteSize));
        Assert.Equal([0UL, 32UL, 160UL, 384UL], file.Tensors.Select(t => t.Offset));
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal(file.DataOffset + 384 + 160, bytes.Length);
        Assert.Equal(3 + 64 + 192 + 256, file.ParameterCount);
        Assert.Equal(1f, BitConverter.ToSingle(bytes, (int)file.Tensors[0].DataOffset));
        Assert.Equal(3f, BitConverter.ToSingle(bytes, (int)file.Tensors[0].DataOffset + 8));
    }

    [Fact]
    public void A_custom_alignment_is_recorded_and_honoured()
    {
        var bytes = Write(writer =>
        {
            writer.AddTensor("x", GgmlType.F32, 5);
            writer.AddTensor("y", GgmlType.F32, 5);
            writer.WriteTensorData("x", new float[5]);
            writer.WriteTensorData("y", new float[5]);
        }, alignment: 128);

        var file = GgufParse.Bytes(bytes);

        Assert.Equal(128u, file.Alignment);
        Assert.Equal(128u, file.Get<uint>(GgufKeys.Alignment));
        Assert.Equal(0, file.DataOffset % 128);
        Assert.Equal([0UL, 128UL], file.Tensors.Select(t => t.Offset));
        Assert.Equal(file.DataOffset + 256, bytes.Length);
    }

    [Fact]
    public void Chunked_writes_produce_the_same_bytes_as_one_write()
    {
        var values = new float[32 * 40];
        var random = new Random(7);
        for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 4 - 2);

        foreach (var type in new[] { GgmlType.F32, GgmlType.F16, GgmlType.Q8_0 })
        {
            var whole = Write(w => { w.AddTensor("t", type, 32, 40); w.WriteTensorData("t", values); });
            var chunked = Write(w =>
            {
                w.AddTensor("t", type, 32, 40);
                var rest = values.AsSpan();
                foreach (var size in new[] { 1, 7, 31, 33, 64, 5, 100, 1000 })
                {
                    var n = Math.Min(size, rest.Length);
                    w.WriteTensorData("t", rest[..n]);
                    rest = rest[n..];
                }
                w.WriteTensorData("t", rest);
            });
            Assert.Equal(whole, chunked);
        }
    }

    [Fact]
    public void Misuse_is_reported_with_the_tensor_named()
    {
        using var writer = new GgufWriter(new MemoryStream());
        writer.AddMetadata("k", 1u);
        Assert.Throws<ArgumentException>(() => writer.AddMetadata("k", 2u));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("q", GgmlType.Q8_0, 48)); // not whole blocks
        Assert.Throws<ArgumentException>(() => writer.AddTensor(new string('n', 64), GgmlType.F32, 1));
        Assert.Throws<ArgumentException>(() => writer.AddMetadata(GgufKeys.Alignment, 64u));
        writer.AddTensor("first", GgmlType.F32, 4);
        writer.AddTensor("second", GgmlType.F32, 4);

        var order = Assert.Throws<InvalidOperationException>(() => writer.WriteTensorData("second", new float[4]));
        Assert.Contains("'first'", order.Message);
        var tooMany = Assert.Throws<InvalidOperationException>(() => writer.WriteTensorData("first", new float[5]));
        Assert.Contains("'first'", tooMany.Message);
        writer.WriteTensorData("first", new float[4]);
        Assert.Throws<InvalidOperationException>(() => writer.AddTensor("late", GgmlType.F32, 1));
        var incomplete = Assert.Throws<InvalidOperationException>(writer.Finish);
        Assert.Contains("'second'", incomplete.Message);
    }

    [Fact]
    public void Written_file_on_disk_reads_back_by_path()
    {
        using var temp = new TempDirectory("gguf-writer");
        var path = temp.File("out.gguf");
        using (var writer = new GgufWriter(path))
        {
            writer.AddMetadata(GgufKeys.Architecture, "qwen2");
            writer.AddMetadata("qwen2.block_count", 3u);
            writer.AddTensor("w", GgmlType.F16, 8, 2);
            writer.WriteTensorData("w", Enumerable.Range(0, 16).Select(i => i * 0.5f).ToArray());
            writer.Finish();
        }

        var file = GgufFile.Read(path);
        var data = file.ReadTensorData(file.Tensors[0]);

        Assert.Equal(3, file.BlockCount);
        Assert.Equal(new FileInfo(path).Length, file.FileSize);
        for (var i = 0; i < 16; i++)
            Assert.Equal(i * 0.5, HalfReference.ToDouble(BitConverter.ToUInt16(data, i * 2)));
    }

    [Fact]
    public void Tensor_data_of_a_stream_read_file_is_not_read_from_some_path()
    {
        var bytes = Write(w => { w.AddTensor("t", GgmlType.F32, 4); w.WriteTensorData("t", new float[4]); });
        var file = GgufParse.Bytes(bytes);

        Assert.Throws<InvalidOperationException>(() => file.ReadTensorData(file.Tensors[0]));
    }

    [Fact]
    public void A_bad_alignment_creates_no_file()
    {
        using var temp = new TempDirectory("gguf-align");
        var path = temp.File("never.gguf");
        Assert.Throws<ArgumentOutOfRangeException>(() => new GgufWriter(path, alignment: 48));
        Assert.False(File.Exists(path));
    }

    private static byte[] Write(Action<GgufWriter> build, uint alignment = 32)
    {
        var stream = new MemoryStream();
        using (var writer = new GgufWriter(stream, alignment, leaveOpen: true))
        {
            build(writer);
            writer.Finish();
        }
        return stream.ToArray();
    }
}
