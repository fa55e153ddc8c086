namespace AgentHost.Gguf;

/// <summary>
/// One tensor's entry in a GGUF file: name, shape, type and where its data lies. The data itself is not loaded.
/// </summary>
/// <param name="Name">Tensor name, e.g. "blk.0.attn_q.weight".</param>
/// <param name="Dimensions">Shape in ggml order: Dimensions[0] is the innermost (contiguous) dimension.</param>
/// <param name="Type">Data type of the elements.</param>
/// <param name="Offset">Offset of the data relative to the start of the data section.</param>
/// <param name="DataOffset">Absolute offset of the data in the file (data section start + <paramref name="Offset"/>).</param>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgmlType Type, ulong Offset, long DataOffset)
{
    /// <summary>Number of elements (product of the dimensions).</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (product, d) => product * d);

    /// <summary>Bytes the data occupies, without alignment padding.</summary>
    public long ByteSize => GgmlTypeTraits.ByteSize(Type, ElementCount);

    /// <summary>"blk.0.attn_q.weight Q8_0 [896, 896]".</summary>
    public override string ToString() => $"{Name} {Type} [{string.Join(", ", Dimensions)}]";
}
