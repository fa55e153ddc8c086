using System.Buffers.Binary;
using AgentHost.Gguf.Tests.Support;

namespace AgentHost.Gguf.Tests;

/// <summary>
/// F16 and Q8_0 encodings checked against straightforward computations from the format definitions:
/// decode with an independent decoder and compare within what the format can represent.
/// </summary>
public sealed class EncodingTests
{
    [Fact]
    public void F16_encodes_each_value_to_a_nearest_half()
    {
        var values = TestValues(seed: 3, count: 20000, maxMagnitude: 60000).Concat([0f, -0f, 1f, -2.5f, 65504f, 6.1e-5f, 3e-7f, 1e-9f]).ToArray();
        var bytes = new byte[values.Length * 2];

        GgmlEncoding.EncodeF16(values, bytes);

        for (var i = 0; i < values.Length; i++)
        {
            var decoded = HalfReference.ToDouble(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2)));
            var error = Math.Abs(decoded - values[i]);
            Assert.True(error <= HalfReference.Ulp(values[i]) / 2, $"{values[i]} -> {decoded} (error {error})");
        }
    }

    [Fact]
    public void F16_handles_special_values()
    {
        float[] values = [float.PositiveInfinity, float.NegativeInfinity, 1e6f, -1e6f, float.NaN];
        var bytes = new byte[values.Length * 2];

        GgmlEncoding.EncodeF16(values, bytes);

        ushort Bits(int i) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2));
        Assert.Equal(0x7C00, Bits(0));
        Assert.Equal(0xFC00, Bits(1));
        Assert.Equal(0x7C00, Bits(2)); // beyond 65504 rounds to infinity
        Assert.Equal(0xFC00, Bits(3));
        Assert.True(double.IsNaN(HalfReference.ToDouble(Bits(4))));
    }

    [Fact]
    public void Q8_0_matches_a_straightforward_quantization_and_dequantizes_within_half_a_step()
    {
        var values = TestValues(seed: 5, count: 32 * 500, maxMagnitude: 3).ToArray();
        for (var i = 0; i < 32; i++) values[i] = 0f;                 // an all-zero block
        for (var i = 32; i < 64; i++) values[i] = i % 2 == 0 ? 1e-3f : -2f; // a block dominated by a negative value
        var bytes = new byte[values.Length / 32 * 34];

        GgmlEncoding.EncodeQ8_0(values, bytes);

        for (var block = 0; block < values.Length / 32; block++)
        {
            var x = values.AsSpan(block * 32, 32);
            var encoded = bytes.AsSpan(block * 34, 34);

            // Straightforward reference: d = max|x| / 127, q = round(x / d).
            var maxAbs = 0.0;
            foreach (var v in x) maxAbs = Math.Max(maxAbs, Math.Abs(v));
            var d = maxAbs / 127;
            var storedScale = HalfReference.ToDouble(BinaryPrimitives.ReadUInt16LittleEndian(encoded));
            Assert.True(Math.Abs(storedScale - d) <= HalfReference.Ulp(d) / 2 + 1e-12, $"block {block}: scale {storedScale} vs {d}");

            for (var j = 0; j < 32; j++)
            {
                var q = (sbyte)encoded[2 + j];
                var expectedQ = d == 0 ? 0 : Math.Round(x[j] / d, MidpointRounding.AwayFromZero);
                Assert.InRange(q, expectedQ - 1, expectedQ + 1); // the reference multiplies by a float reciprocal
                Assert.InRange(q, -127, 127);
                var dequantized = storedScale * q;
                // half a quantization step, plus the fp16 rounding of the scale carried through |q| <= 127
                var tolerance = d / 2 + 127 * HalfReference.Ulp(d) / 2 + 1e-7;
                Assert.True(Math.Abs(dequantized - x[j]) <= tolerance, $"block {block}[{j}]: {x[j]} -> {dequantized}");
            }
        }
        Assert.Equal(new byte[34], bytes.AsSpan(0, 34).ToArray()); // zero block: zero scale, zero values
        Assert.Equal(-127, (sbyte)bytes[34 + 2 + 1]);               // the extreme value maps to -127 exactly
    }

    [Fact]
    public void Q8_0_stored_through_the_writer_reads_back_within_tolerance()
    {
        var values = TestValues(seed: 11, count: 64 * 8, maxMagnitude: 0.1f).ToArray();
        using var temp = new TempDirectory("gguf-q8");
        var path = temp.File("q8.gguf");
        using (var writer = new GgufWriter(path))
        {
            writer.AddTensor("m", GgmlType.Q8_0, 64, 8);
            writer.WriteTensorData("m", values);
            writer.Finish();
        }

        var file = GgufFile.Read(path);
        var data = file.ReadTensorData(file.Tensors[0]);

        Assert.Equal(16 * 34, data.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var block = data.AsSpan(i / 32 * 34);
            var scale = HalfReference.ToDouble(BinaryPrimitives.ReadUInt16LittleEndian(block));
            var dequantized = scale * (sbyte)block[2 + i % 32];
            Assert.True(Math.Abs(dequantized - values[i]) <= scale * 0.51 + 1e-7, $"{values[i]} -> {dequantized}");
        }
    }

    [Fact]
    public void Q8_0_refuses_partial_blocks()
    {
        Assert.Throws<ArgumentException>(() => GgmlEncoding.EncodeQ8_0(new float[33], new byte[68]));
        Assert.Throws<ArgumentException>(() => GgmlEncoding.EncodeQ8_0(new float[64], new byte[67]));
    }

    [Theory]
    [InlineData(GgmlType.F32, 1, 4)]
    [InlineData(GgmlType.F16, 1, 2)]
    [InlineData(GgmlType.Q8_0, 32, 34)]
    [InlineData(GgmlType.Q4_0, 32, 18)]
    [InlineData(GgmlType.Q4_K, 256, 144)]
    [InlineData(GgmlType.Q6_K, 256, 210)]
    [InlineData(GgmlType.IQ4_XS, 256, 136)]
    public void Block_layouts_match_ggml(GgmlType type, int blockSize, int blockBytes)
    {
        Assert.Equal(blockSize, GgmlTypeTraits.BlockSize(type));
        Assert.Equal(blockBytes, GgmlTypeTraits.BlockBytes(type));
        Assert.Equal(3L * blockBytes, GgmlTypeTraits.ByteSize(type, 3L * blockSize));
    }

    private static IEnumerable<float> TestValues(int seed, int count, float maxMagnitude)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            // log-uniform magnitudes exercise every exponent the format covers, not only the largest
            var magnitude = maxMagnitude * Math.Pow(2, -random.NextDouble() * 30);
            yield return (float)(random.Next(2) == 0 ? magnitude : -magnitude);
        }
    }
}
