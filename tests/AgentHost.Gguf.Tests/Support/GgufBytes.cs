using System.Buffers.Binary;
using System.Text;

namespace AgentHost.Gguf.Tests.Support;

/// <summary>
/// Builds GGUF bytes by hand, field by field, independently of <see cref="GgufWriter"/>, so tests can craft exactly
/// the malformed files they need and know the offset of every field.
/// </summary>
internal sealed class GgufBytes
{
    private readonly MemoryStream _bytes = new();

    public long Position => _bytes.Length;

    public GgufBytes Raw(params byte[] bytes) { _bytes.Write(bytes); return this; }
    public GgufBytes Magic() => Raw("GGUF"u8.ToArray());
    public GgufBytes U8(byte v) => Raw(v);
    public GgufBytes U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); _bytes.Write(b); return this; }
    public GgufBytes U64(ulong v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); _bytes.Write(b); return this; }
    public GgufBytes Str(string s) { var b = Encoding.UTF8.GetBytes(s); U64((ulong)b.Length); return Raw(b); }

    /// <summary>Magic, version, tensor count and key/value count.</summary>
    public GgufBytes Header(uint version, ulong tensors, ulong keyValues) => Magic().U32(version).U64(tensors).U64(keyValues);

    /// <summary>A key with a uint32 value.</summary>
    public GgufBytes KvU32(string key, uint value) => Str(key).U32((uint)GgufValueType.UInt32).U32(value);

    /// <summary>A key with a string value.</summary>
    public GgufBytes KvStr(string key, string value) => Str(key).U32((uint)GgufValueType.String).Str(value);

    /// <summary>A tensor info.</summary>
    public GgufBytes Tensor(string name, GgmlType type, ulong offset, params ulong[] dims)
    {
        Str(name).U32((uint)dims.Length);
        foreach (var d in dims) U64(d);
        return U32((uint)type).U64(offset);
    }

    /// <summary>Zero bytes up to the next multiple of <paramref name="alignment"/>.</summary>
    public GgufBytes Pad(int alignment = 32)
    {
        while (_bytes.Length % alignment != 0) _bytes.WriteByte(0);
        return this;
    }

    public GgufBytes Zeros(int count) => Raw(new byte[count]);

    public byte[] ToArray() => _bytes.ToArray();
}
