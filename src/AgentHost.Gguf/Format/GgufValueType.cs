namespace AgentHost.Gguf;

/// <summary>The type tag of a GGUF metadata value, as stored in the file (enum gguf_type in ggml/include/gguf.h).</summary>
public enum GgufValueType : uint
{
    /// <summary>8-bit unsigned integer (.NET <see cref="byte"/>).</summary>
    UInt8 = 0,
    /// <summary>8-bit signed integer (.NET <see cref="sbyte"/>).</summary>
    Int8 = 1,
    /// <summary>16-bit unsigned integer (.NET <see cref="ushort"/>).</summary>
    UInt16 = 2,
    /// <summary>16-bit signed integer (.NET <see cref="short"/>).</summary>
    Int16 = 3,
    /// <summary>32-bit unsigned integer (.NET <see cref="uint"/>).</summary>
    UInt32 = 4,
    /// <summary>32-bit signed integer (.NET <see cref="int"/>).</summary>
    Int32 = 5,
    /// <summary>32-bit IEEE float (.NET <see cref="float"/>).</summary>
    Float32 = 6,
    /// <summary>One byte, 0 or 1 (.NET <see cref="bool"/>).</summary>
    Bool = 7,
    /// <summary>UTF-8 string with a 64-bit length prefix (.NET <see cref="string"/>).</summary>
    String = 8,
    /// <summary>Array: element type, 64-bit count, elements.</summary>
    Array = 9,
    /// <summary>64-bit unsigned integer (.NET <see cref="ulong"/>).</summary>
    UInt64 = 10,
    /// <summary>64-bit signed integer (.NET <see cref="long"/>).</summary>
    Int64 = 11,
    /// <summary>64-bit IEEE float (.NET <see cref="double"/>).</summary>
    Float64 = 12,
}
