namespace AgentHost.Gguf;

/// <summary>Facts about <see cref="GgufValueType"/>: names, fixed sizes and the matching .NET types.</summary>
public static class GgufValueTypes
{
    /// <summary>True for the tags GGUF defines.</summary>
    public static bool IsDefined(GgufValueType type) => (uint)type <= (uint)GgufValueType.Float64;

    /// <summary>The byte size of one value of a fixed-size type; 0 for <see cref="GgufValueType.String"/> and <see cref="GgufValueType.Array"/>.</summary>
    public static int FixedSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        _ => 0,
    };

    /// <summary>The smallest number of bytes one value of the type occupies in a file (used to reject absurd counts).</summary>
    public static int MinimumEncodedSize(GgufValueType type) => type switch
    {
        GgufValueType.String => 8,          // the length prefix
        GgufValueType.Array => 4 + 8,       // element type + count
        _ => FixedSize(type),
    };

    /// <summary>The name ggml uses (gguf_type_name): "u8", "i32", "f32", "str", "arr" ... spelled out here for messages.</summary>
    public static string Name(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => "uint8",
        GgufValueType.Int8 => "int8",
        GgufValueType.UInt16 => "uint16",
        GgufValueType.Int16 => "int16",
        GgufValueType.UInt32 => "uint32",
        GgufValueType.Int32 => "int32",
        GgufValueType.Float32 => "float32",
        GgufValueType.Bool => "bool",
        GgufValueType.String => "string",
        GgufValueType.Array => "array",
        GgufValueType.UInt64 => "uint64",
        GgufValueType.Int64 => "int64",
        GgufValueType.Float64 => "float64",
        _ => $"unknown type {(uint)type}",
    };

    /// <summary>The GGUF type of a .NET scalar type, or null when GGUF has no such scalar.</summary>
    public static GgufValueType? FromClrType(Type type)
    {
        if (type == typeof(byte)) return GgufValueType.UInt8;
        if (type == typeof(sbyte)) return GgufValueType.Int8;
        if (type == typeof(ushort)) return GgufValueType.UInt16;
        if (type == typeof(short)) return GgufValueType.Int16;
        if (type == typeof(uint)) return GgufValueType.UInt32;
        if (type == typeof(int)) return GgufValueType.Int32;
        if (type == typeof(float)) return GgufValueType.Float32;
        if (type == typeof(bool)) return GgufValueType.Bool;
        if (type == typeof(string)) return GgufValueType.String;
        if (type == typeof(ulong)) return GgufValueType.UInt64;
        if (type == typeof(long)) return GgufValueType.Int64;
        if (type == typeof(double)) return GgufValueType.Float64;
        return null;
    }

    /// <summary>"uint32", or "array[string]" for arrays; how messages name a .NET type in GGUF terms.</summary>
    public static string DescribeClrType(Type type)
    {
        if (type.IsArray && FromClrType(type.GetElementType()!) is { } element) return $"array[{Name(element)}]";
        return FromClrType(type) is { } scalar ? Name(scalar) : type.Name;
    }
}
