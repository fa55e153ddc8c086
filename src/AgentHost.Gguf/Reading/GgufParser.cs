using System.Text;

namespace AgentHost.Gguf;

/// <summary>
/// Parses the GGUF header, metadata and tensor infos (GGUF v2 and v3; both share one layout) and validates them the way
/// llama.cpp's gguf_init_from_file does, so a file this parser accepts is structurally loadable.
/// </summary>
internal static class GgufParser
{
    private const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32
    private const uint MinVersion = 2;
    private const uint MaxVersion = 3;
    private const int MaxDimensions = 4;     // GGML_MAX_DIMS
    private const int MaxTensorNameBytes = 63; // GGML_MAX_NAME - 1 (room for the terminating NUL)
    private const long MinKeyValueBytes = 8 + 4 + 1;          // key length + type + smallest value
    private const long MinTensorInfoBytes = 8 + 4 + 4 + 8;    // name length + n_dims + type + offset

    public static GgufFile Parse(Stream stream, string? source)
    {
        var reader = new GgufBinaryReader(stream, source);
        var version = ReadHeader(reader, out var tensorCount, out var keyValueCount);
        var metadata = ReadMetadata(reader, keyValueCount);
        var alignment = ReadAlignment(reader, metadata);
        var infos = ReadTensorInfos(reader, tensorCount);

        var dataOffset = AlignUp(reader.Position, alignment);
        var tensors = PlaceTensors(reader, infos, dataOffset, alignment);
        return new GgufFile(source, version, reader.Length, alignment, dataOffset, metadata, tensors);
    }

    private static uint ReadHeader(GgufBinaryReader reader, out long tensorCount, out long keyValueCount)
    {
        if (reader.Length < 4)
            throw reader.Error(0, "the magic number", $"the file has only {reader.Length} bytes; a GGUF file starts with the 4 bytes 'GGUF'");
        var magic = reader.ReadUInt32("the magic number");
        if (magic != Magic)
            throw reader.Error(0, "the magic number", $"not a GGUF file: the first 4 bytes are {Hex(magic)}, expected 47 47 55 46 ('GGUF')");

        var version = reader.ReadUInt32("the version");
        if (version is < MinVersion or > MaxVersion)
        {
            var why = version switch
            {
                0 => "version 0 is invalid",
                1 => "GGUF version 1 is no longer supported (re-convert the model)",
                _ when (version & 0xFFFF) == 0 => $"version {version} looks byte-swapped: a big-endian GGUF file cannot be read here",
                _ => $"version {version} is not supported (supported: {MinVersion} and {MaxVersion})",
            };
            throw reader.Error(4, "the version", why);
        }

        tensorCount = reader.ReadCount("the tensor count", MinTensorInfoBytes);
        keyValueCount = reader.ReadCount("the metadata key/value count", MinKeyValueBytes);
        return version;
    }

    private static GgufMetadata ReadMetadata(GgufBinaryReader reader, long count)
    {
        var entries = new List<KeyValuePair<string, GgufValue>>((int)Math.Min(count, 1024));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            var keyAt = reader.Position;
            var key = reader.ReadString($"metadata key #{i}");
            if (key.Length == 0) throw reader.Error(keyAt, $"metadata key #{i}", "the key is empty");
            if (!seen.Add(key)) throw reader.Error(keyAt, $"metadata key #{i} ('{key}')", "the key is repeated");

            var reading = $"the value of metadata key '{key}'";
            var value = ReadValue(reader, reading);
            entries.Add(new(key, value));
        }
        return new GgufMetadata(entries, reader.Source);
    }

    private static GgufValue ReadValue(GgufBinaryReader reader, string reading)
    {
        var typeAt = reader.Position;
        var type = (GgufValueType)reader.ReadUInt32(reading + " (type)");
        if (!GgufValueTypes.IsDefined(type))
            throw reader.Error(typeAt, reading, $"unknown value type {(uint)type} (known: 0..12)");
        if (type != GgufValueType.Array) return ReadScalar(reader, type, reading);

        var elementAt = reader.Position;
        var elementType = (GgufValueType)reader.ReadUInt32(reading + " (array element type)");
        if (!GgufValueTypes.IsDefined(elementType))
            throw reader.Error(elementAt, reading, $"unknown array element type {(uint)elementType} (known: 0..12)");
        if (elementType == GgufValueType.Array)
            throw reader.Error(elementAt, reading, "nested arrays are not supported (llama.cpp rejects them too)");
        var length = reader.ReadCount(reading + " (array length)", GgufValueTypes.MinimumEncodedSize(elementType), Array.MaxLength);
        return ReadArray(reader, elementType, (int)length, reading);
    }

    private static GgufValue ReadScalar(GgufBinaryReader reader, GgufValueType type, string reading) => type switch
    {
        GgufValueType.UInt8 => reader.ReadUInt8(reading),
        GgufValueType.Int8 => (sbyte)reader.ReadUInt8(reading),
        GgufValueType.UInt16 => reader.ReadUInt16(reading),
        GgufValueType.Int16 => (short)reader.ReadUInt16(reading),
        GgufValueType.UInt32 => reader.ReadUInt32(reading),
        GgufValueType.Int32 => (int)reader.ReadUInt32(reading),
        GgufValueType.Float32 => BitConverter.UInt32BitsToSingle(reader.ReadUInt32(reading)),
        GgufValueType.Bool => reader.ReadUInt8(reading) != 0,
        GgufValueType.String => reader.ReadString(reading),
        GgufValueType.UInt64 => reader.ReadUInt64(reading),
        GgufValueType.Int64 => (long)reader.ReadUInt64(reading),
        GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(reader.ReadUInt64(reading)),
        _ => throw new InvalidOperationException($"unreachable: scalar type {type}"),
    };

    private static GgufValue ReadArray(GgufBinaryReader reader, GgufValueType elementType, int length, string reading)
    {
        switch (elementType)
        {
            case GgufValueType.String:
                var strings = new string[length];
                for (var i = 0; i < length; i++) strings[i] = reader.ReadString(reading);
                return strings;
            case GgufValueType.Bool:
                var raw = Fill(reader, new byte[length], reading);
                return Array.ConvertAll(raw, b => b != 0);
            case GgufValueType.UInt8: return Fill(reader, new byte[length], reading);
            case GgufValueType.Int8: return Fill(reader, new sbyte[length], reading);
            case GgufValueType.UInt16: return Fill(reader, new ushort[length], reading);
            case GgufValueType.Int16: return Fill(reader, new short[length], reading);
            case GgufValueType.UInt32: return Fill(reader, new uint[length], reading);
            case GgufValueType.Int32: return Fill(reader, new int[length], reading);
            case GgufValueType.Float32: return Fill(reader, new float[length], reading);
            case GgufValueType.UInt64: return Fill(reader, new ulong[length], reading);
            case GgufValueType.Int64: return Fill(reader, new long[length], reading);
            case GgufValueType.Float64: return Fill(reader, new double[length], reading);
            default: throw new InvalidOperationException($"unreachable: array element type {elementType}");
        }
    }

    private static T[] Fill<T>(GgufBinaryReader reader, T[] array, string reading) where T : unmanaged
    {
        reader.ReadArray(array, reading);
        return array;
    }

    private static uint ReadAlignment(GgufBinaryReader reader, GgufMetadata metadata)
    {
        if (!metadata.TryGetValue(GgufKeys.Alignment, out var value)) return GgufFile.DefaultAlignment;
        if (!value.TryGet<uint>(out var alignment))
            throw reader.Error(reader.Position, $"metadata key '{GgufKeys.Alignment}'", $"must be uint32 but is {value.TypeName}");
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            throw reader.Error(reader.Position, $"metadata key '{GgufKeys.Alignment}'", $"alignment {alignment} is not a power of two");
        return alignment;
    }

    private readonly record struct RawTensorInfo(string Name, long[] Dimensions, GgmlType Type, ulong Offset, long InfoAt, long ByteSize);

    private static List<RawTensorInfo> ReadTensorInfos(GgufBinaryReader reader, long count)
    {
        var infos = new List<RawTensorInfo>((int)Math.Min(count, 4096));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            var infoAt = reader.Position;
            var name = reader.ReadString($"tensor info #{i} (name)");
            var reading = $"tensor info #{i} ('{name}')";
            if (name.Length == 0) throw reader.Error(infoAt, reading, "the tensor name is empty");
            if (Encoding.UTF8.GetByteCount(name) > MaxTensorNameBytes)
                throw reader.Error(infoAt, reading, $"the tensor name is longer than {MaxTensorNameBytes} bytes");
            if (!names.Add(name)) throw reader.Error(infoAt, reading, "the tensor name is repeated");

            var dimsAt = reader.Position;
            var dimensionCount = reader.ReadUInt32(reading + " dimension count");
            if (dimensionCount > MaxDimensions)
                throw reader.Error(dimsAt, reading, $"{dimensionCount} dimensions; at most {MaxDimensions} are allowed");
            var dimensions = new long[dimensionCount];
            long elements = 1;
            for (var d = 0; d < dimensionCount; d++)
            {
                var dimAt = reader.Position;
                var size = reader.ReadUInt64(reading + $" dimension {d}");
                if (size > long.MaxValue) throw reader.Error(dimAt, reading, $"dimension {d} is {size}, beyond the int64 range");
                dimensions[d] = (long)size;
                if (size != 0 && elements > long.MaxValue / (long)size)
                    throw reader.Error(dimAt, reading, "the element count overflows int64");
                elements *= (long)size;
            }

            var typeAt = reader.Position;
            var type = (GgmlType)reader.ReadUInt32(reading + " type");
            if (!GgmlTypeTraits.IsKnown(type))
                throw reader.Error(typeAt, reading, $"unknown or removed ggml type {(uint)type}");
            var blockSize = GgmlTypeTraits.BlockSize(type);
            var rowLength = dimensionCount == 0 ? 1 : dimensions[0];
            if (rowLength % blockSize != 0)
                throw reader.Error(typeAt, reading, $"{rowLength} values per row is not a multiple of the {type} block size {blockSize}");
            if (elements / blockSize > long.MaxValue / GgmlTypeTraits.BlockBytes(type))
                throw reader.Error(typeAt, reading, "the data size overflows int64");

            var offset = reader.ReadUInt64(reading + " data offset");
            infos.Add(new RawTensorInfo(name, dimensions, type, offset, infoAt, GgmlTypeTraits.ByteSize(type, elements)));
        }
        return infos;
    }

    private static List<GgufTensorInfo> PlaceTensors(GgufBinaryReader reader, List<RawTensorInfo> infos, long dataOffset, uint alignment)
    {
        var tensors = new List<GgufTensorInfo>(infos.Count);
        if (infos.Count > 0 && dataOffset > reader.Length)
            throw reader.Error(reader.Position, "the padding before the tensor data", $"the data section would start at {dataOffset}, beyond the end of the file ({reader.Length} bytes)");

        var dataBytes = reader.Length - dataOffset;
        foreach (var info in infos)
        {
            var reading = $"tensor info '{info.Name}' data offset";
            if (info.Offset % alignment != 0)
                throw reader.Error(info.InfoAt, reading, $"data offset {info.Offset} is not a multiple of the alignment {alignment}");
            if (info.Offset > (ulong)dataBytes || info.ByteSize > dataBytes - (long)info.Offset)
                throw reader.Error(info.InfoAt, reading,
                    $"tensor data [{info.Offset}, +{info.ByteSize}) lies beyond the end of the file: the data section at {dataOffset} holds {dataBytes} bytes");
            tensors.Add(new GgufTensorInfo(info.Name, info.Dimensions, info.Type, info.Offset, dataOffset + (long)info.Offset));
        }
        return tensors;
    }

    internal static long AlignUp(long value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    private static string Hex(uint value) =>
        string.Join(' ', BitConverter.GetBytes(value).Select(b => b.ToString("X2")));
}
