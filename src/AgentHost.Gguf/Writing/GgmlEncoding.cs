using System.Buffers.Binary;

namespace AgentHost.Gguf;

/// <summary>
/// Encodes float values into ggml tensor layouts: F32, F16 (IEEE half, round to nearest even) and Q8_0
/// (ggml's block_q8_0: per 32 values one fp16 scale d = max|x| / 127, then 32 int8 round(x / d)).
/// </summary>
public static class GgmlEncoding
{
    /// <summary>Values per Q8_0 block.</summary>
    public const int Q8_0BlockSize = 32;

    /// <summary>Bytes per Q8_0 block: a 2-byte fp16 scale and 32 signed bytes.</summary>
    public const int Q8_0BlockBytes = 2 + Q8_0BlockSize;

    /// <summary>Writes each value as 4 little-endian bytes.</summary>
    public static void EncodeF32(ReadOnlySpan<float> source, Span<byte> destination)
    {
        RequireDestination(destination, (long)source.Length * 4);
        for (var i = 0; i < source.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], source[i]);
    }

    /// <summary>Writes each value as an IEEE 754 half (2 little-endian bytes), rounding to nearest even like ggml.</summary>
    public static void EncodeF16(ReadOnlySpan<float> source, Span<byte> destination)
    {
        RequireDestination(destination, (long)source.Length * 2);
        for (var i = 0; i < source.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(i * 2)..], BitConverter.HalfToUInt16Bits((Half)source[i]));
    }

    /// <summary>
    /// Quantizes whole blocks of 32 values to Q8_0 exactly as ggml's quantize_row_q8_0_ref: the scale is stored as fp16,
    /// the values are multiplied by the full-precision reciprocal of the scale and rounded half away from zero.
    /// </summary>
    /// <exception cref="ArgumentException">The value count is not a multiple of 32, or the destination is too small.</exception>
    public static void EncodeQ8_0(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (source.Length % Q8_0BlockSize != 0)
            throw new ArgumentException($"Q8_0 encodes whole blocks of {Q8_0BlockSize} values; got {source.Length}.", nameof(source));
        var blocks = source.Length / Q8_0BlockSize;
        RequireDestination(destination, (long)blocks * Q8_0BlockBytes);
        for (var b = 0; b < blocks; b++)
            EncodeQ8_0Block(source.Slice(b * Q8_0BlockSize, Q8_0BlockSize), destination.Slice(b * Q8_0BlockBytes, Q8_0BlockBytes));
    }

    private static void EncodeQ8_0Block(ReadOnlySpan<float> values, Span<byte> block)
    {
        var maxAbs = 0f;
        foreach (var v in values) maxAbs = MathF.Max(maxAbs, MathF.Abs(v));
        var scale = maxAbs / 127f;
        var inverse = scale != 0f ? 1f / scale : 0f;
        BinaryPrimitives.WriteUInt16LittleEndian(block, BitConverter.HalfToUInt16Bits((Half)scale));
        for (var j = 0; j < Q8_0BlockSize; j++)
            block[2 + j] = (byte)(sbyte)MathF.Round(values[j] * inverse, MidpointRounding.AwayFromZero);
    }

    private static void RequireDestination(Span<byte> destination, long needed)
    {
        if (destination.Length < needed)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; {needed} are needed.", nameof(destination));
    }
}
