using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace AgentHost.Gguf;

/// <summary>
/// Little-endian primitive reads over a seekable stream that know the remaining length, so every read is checked
/// before it happens: truncation and absurd lengths become <see cref="GgufFormatException"/>, never
/// EndOfStreamException or an allocation sized by corrupt data.
/// </summary>
internal sealed class GgufBinaryReader
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Stream _stream;
    private readonly byte[] _scratch = new byte[256];

    public GgufBinaryReader(Stream stream, string? source)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("GGUF reading assumes a little-endian host.");
        _stream = stream;
        Source = source;
        Length = stream.Length - stream.Position;
    }

    /// <summary>The file name or stream description used in error messages.</summary>
    public string? Source { get; }

    /// <summary>Bytes of GGUF data, from where reading started to the end of the stream.</summary>
    public long Length { get; }

    /// <summary>Offset of the next byte, relative to where reading started.</summary>
    public long Position { get; private set; }

    public long Remaining => Length - Position;

    public GgufFormatException Error(long offset, string reading, string problem, Exception? inner = null) =>
        new(Source, offset, reading, problem, inner);

    /// <summary>Throws unless <paramref name="bytes"/> more bytes exist.</summary>
    public void Require(long bytes, string reading)
    {
        if (bytes > Remaining)
            throw Error(Position, reading, $"unexpected end of file: needed {bytes} bytes, {Remaining} remain (file has {Length} bytes)");
    }

    public void ReadExactly(Span<byte> destination, string reading)
    {
        Require(destination.Length, reading);
        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e) // the stream shrank while being read
        {
            throw Error(Position, reading, "unexpected end of file", e);
        }
        Position += destination.Length;
    }

    public byte ReadUInt8(string reading)
    {
        ReadExactly(_scratch.AsSpan(0, 1), reading);
        return _scratch[0];
    }

    public ushort ReadUInt16(string reading)
    {
        ReadExactly(_scratch.AsSpan(0, 2), reading);
        return BinaryPrimitives.ReadUInt16LittleEndian(_scratch);
    }

    public uint ReadUInt32(string reading)
    {
        ReadExactly(_scratch.AsSpan(0, 4), reading);
        return BinaryPrimitives.ReadUInt32LittleEndian(_scratch);
    }

    public ulong ReadUInt64(string reading)
    {
        ReadExactly(_scratch.AsSpan(0, 8), reading);
        return BinaryPrimitives.ReadUInt64LittleEndian(_scratch);
    }

    /// <summary>
    /// Reads a 64-bit count of items that each take at least <paramref name="minItemBytes"/> bytes, rejecting counts the
    /// rest of the file cannot hold (checked before anything is allocated) and counts above <paramref name="limit"/>.
    /// </summary>
    public long ReadCount(string reading, long minItemBytes, long limit = long.MaxValue)
    {
        var at = Position;
        var count = ReadUInt64(reading);
        var remaining = Remaining;
        if (count > (ulong)limit)
            throw Error(at, reading, $"count {count} exceeds the limit of {limit}");
        if (minItemBytes > 0 && count > (ulong)(remaining / minItemBytes))
            throw Error(at, reading, $"count {count} is impossible: {count} items of at least {minItemBytes} bytes need more than the {remaining} bytes left in the file");
        return (long)count;
    }

    /// <summary>A GGUF string: 64-bit byte length then UTF-8 bytes (invalid UTF-8 becomes U+FFFD rather than failing).</summary>
    public string ReadString(string reading)
    {
        var length = ReadCount(reading, 1, Array.MaxLength);
        if (length == 0) return string.Empty;
        if (length <= _scratch.Length)
        {
            var span = _scratch.AsSpan(0, (int)length);
            ReadExactly(span, reading);
            return Utf8.GetString(span);
        }
        var buffer = new byte[length]; // bounded by the bytes left in the file (ReadCount)
        ReadExactly(buffer, reading);
        return Utf8.GetString(buffer);
    }

    /// <summary>Fills an array of an unmanaged type straight from the file's little-endian bytes.</summary>
    public void ReadArray<T>(T[] destination, string reading) where T : unmanaged =>
        ReadExactly(MemoryMarshal.AsBytes(destination.AsSpan()), reading);
}
