namespace AgentHost.Gguf;

/// <summary>
/// Block layout of each <see cref="GgmlType"/>: how many values one block holds and how many bytes it takes
/// (type_traits in ggml/src/ggml.c and the block structs in ggml-common.h of llama.cpp v0.5.0).
/// </summary>
public static class GgmlTypeTraits
{
    private const int QK_K = 256;

    /// <summary>True when the type is one a GGUF file may use (removed and unknown ids are false).</summary>
    public static bool IsKnown(GgmlType type) => BlockSize(type) != 0;

    /// <summary>Values per block (1 for plain types); 0 for unknown types.</summary>
    public static int BlockSize(GgmlType type) => Layout(type).BlockSize;

    /// <summary>Bytes per block; 0 for unknown types.</summary>
    public static int BlockBytes(GgmlType type) => Layout(type).BlockBytes;

    /// <summary>Bytes needed for <paramref name="elements"/> values; the count must be a multiple of the block size.</summary>
    /// <exception cref="ArgumentException">Unknown type, or a count that is not a whole number of blocks.</exception>
    /// <exception cref="OverflowException">The size does not fit in 64 bits.</exception>
    public static long ByteSize(GgmlType type, long elements)
    {
        var (blockSize, blockBytes) = Layout(type);
        if (blockSize == 0) throw new ArgumentException($"Unknown ggml type {(uint)type}.", nameof(type));
        if (elements < 0 || elements % blockSize != 0)
            throw new ArgumentException($"{elements} values are not a whole number of {type} blocks of {blockSize}.", nameof(elements));
        return checked(elements / blockSize * blockBytes);
    }

    private static (int BlockSize, int BlockBytes) Layout(GgmlType type) => type switch
    {
        GgmlType.F32 => (1, 4),
        GgmlType.F16 => (1, 2),
        GgmlType.BF16 => (1, 2),
        GgmlType.F64 => (1, 8),
        GgmlType.I8 => (1, 1),
        GgmlType.I16 => (1, 2),
        GgmlType.I32 => (1, 4),
        GgmlType.I64 => (1, 8),
        GgmlType.Q4_0 => (32, 2 + 16),
        GgmlType.Q4_1 => (32, 2 + 2 + 16),
        GgmlType.Q5_0 => (32, 2 + 4 + 16),
        GgmlType.Q5_1 => (32, 2 + 2 + 4 + 16),
        GgmlType.Q8_0 => (32, 2 + 32),
        GgmlType.Q8_1 => (32, 2 + 2 + 32),
        GgmlType.IQ4_NL => (32, 2 + 16),
        GgmlType.MXFP4 => (32, 1 + 16),
        GgmlType.NVFP4 => (64, 4 + 32),
        GgmlType.Q1_0 => (128, 2 + 16),
        GgmlType.Q2_0 => (64, 2 + 16),
        GgmlType.Q2_K => (QK_K, 2 + 2 + QK_K / 16 + QK_K / 4),
        GgmlType.Q3_K => (QK_K, 2 + QK_K / 4 + QK_K / 8 + 12),
        GgmlType.Q4_K => (QK_K, 2 + 2 + 12 + QK_K / 2),
        GgmlType.Q5_K => (QK_K, 2 + 2 + 12 + QK_K / 2 + QK_K / 8),
        GgmlType.Q6_K => (QK_K, 2 + QK_K / 16 + 3 * QK_K / 4),
        GgmlType.Q8_K => (QK_K, 4 + QK_K + QK_K / 16 * 2),
        GgmlType.IQ2_XXS => (QK_K, 2 + QK_K / 8 * 2),
        GgmlType.IQ2_XS => (QK_K, 2 + QK_K / 8 * 2 + QK_K / 32),
        GgmlType.IQ2_S => (QK_K, 2 + QK_K / 4 + QK_K / 16),
        GgmlType.IQ3_XXS => (QK_K, 2 + 3 * (QK_K / 8)),
        GgmlType.IQ3_S => (QK_K, 2 + 13 * (QK_K / 32) + QK_K / 64),
        GgmlType.IQ1_S => (QK_K, 2 + QK_K / 8 + QK_K / 16),
        GgmlType.IQ1_M => (QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32),
        GgmlType.IQ4_XS => (QK_K, 2 + 2 + QK_K / 64 + QK_K / 2),
        GgmlType.TQ1_0 => (QK_K, 2 + QK_K / 64 + (QK_K - 4 * QK_K / 64) / 5),
        GgmlType.TQ2_0 => (QK_K, 2 + QK_K / 4),
        _ => (0, 0),
    };
}
