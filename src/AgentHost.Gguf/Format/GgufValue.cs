using System.Globalization;

namespace AgentHost.Gguf;

/// <summary>
/// One GGUF metadata value: a scalar (byte, sbyte, ushort, short, uint, int, float, bool, string, ulong, long, double)
/// or a one-dimensional array of one of those. Arrays are held as the matching .NET array (uint[], string[] ...);
/// they are shared, not copied, so treat them as read-only.
/// </summary>
public sealed class GgufValue : IEquatable<GgufValue>
{
    private GgufValue(GgufValueType type, GgufValueType? elementType, object value)
    {
        Type = type;
        ElementType = elementType;
        Value = value;
    }

    /// <summary>The value's type tag; <see cref="GgufValueType.Array"/> for arrays.</summary>
    public GgufValueType Type { get; }

    /// <summary>For arrays, the element type; otherwise null.</summary>
    public GgufValueType? ElementType { get; }

    /// <summary>The boxed scalar, or the .NET array for array values.</summary>
    public object Value { get; }

    /// <summary>True for array values.</summary>
    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>Number of elements of an array value; 1 for a scalar.</summary>
    public int Count => Value is Array array ? array.Length : 1;

    /// <summary>The type as messages spell it: "uint32", "string", "array[string]".</summary>
    public string TypeName => IsArray ? $"array[{GgufValueTypes.Name(ElementType!.Value)}]" : GgufValueTypes.Name(Type);

    /// <summary>Wraps a .NET scalar or one-dimensional array of a type GGUF can store.</summary>
    /// <exception cref="ArgumentException">The type has no GGUF equivalent (nested arrays included).</exception>
    public static GgufValue Create(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var clrType = value.GetType();
        if (clrType.IsArray)
        {
            var element = clrType.GetElementType()!;
            if (clrType.GetArrayRank() != 1 || GgufValueTypes.FromClrType(element) is not { } elementType)
                throw new ArgumentException($"GGUF cannot store an array of {element.Name} (nested arrays included).", nameof(value));
            if (value is string[] strings && Array.IndexOf(strings, null) is var nullAt and >= 0)
                throw new ArgumentException($"String array element {nullAt} is null.", nameof(value));
            return new GgufValue(GgufValueType.Array, elementType, value);
        }
        return GgufValueTypes.FromClrType(clrType) is { } scalarType
            ? new GgufValue(scalarType, null, value)
            : throw new ArgumentException($"GGUF cannot store a value of type {clrType.Name}.", nameof(value));
    }

    /// <summary>True, with the value, when it is exactly a <typeparamref name="T"/> (e.g. uint, string, int[]); no conversions.</summary>
    public bool TryGet<T>(out T value)
    {
        if (Value is T typed)
        {
            value = typed;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>
    /// The value as a 64-bit integer when it is any integer scalar type (uint8 ... int64, uint64 up to long.MaxValue);
    /// false otherwise. Files differ in which integer width they use for the same key.
    /// </summary>
    public bool TryGetInt64(out long value)
    {
        switch (Value)
        {
            case byte v: value = v; return true;
            case sbyte v: value = v; return true;
            case ushort v: value = v; return true;
            case short v: value = v; return true;
            case uint v: value = v; return true;
            case int v: value = v; return true;
            case long v: value = v; return true;
            case ulong v when v <= long.MaxValue: value = (long)v; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>The value as a double when it is float32 or float64 (or any integer); false otherwise.</summary>
    public bool TryGetDouble(out double value)
    {
        switch (Value)
        {
            case float f: value = f; return true;
            case double d: value = d; return true;
            case ulong u: value = u; return true;
        }
        if (TryGetInt64(out var i)) { value = i; return true; }
        value = 0;
        return false;
    }

#pragma warning disable CS1591 // implicit conversions: one per type GGUF stores
    public static implicit operator GgufValue(byte v) => new(GgufValueType.UInt8, null, v);
    public static implicit operator GgufValue(sbyte v) => new(GgufValueType.Int8, null, v);
    public static implicit operator GgufValue(ushort v) => new(GgufValueType.UInt16, null, v);
    public static implicit operator GgufValue(short v) => new(GgufValueType.Int16, null, v);
    public static implicit operator GgufValue(uint v) => new(GgufValueType.UInt32, null, v);
    public static implicit operator GgufValue(int v) => new(GgufValueType.Int32, null, v);
    public static implicit operator GgufValue(float v) => new(GgufValueType.Float32, null, v);
    public static implicit operator GgufValue(bool v) => new(GgufValueType.Bool, null, v);
    public static implicit operator GgufValue(string v) => new(GgufValueType.String, null, v ?? throw new ArgumentNullException(nameof(v)));
    public static implicit operator GgufValue(ulong v) => new(GgufValueType.UInt64, null, v);
    public static implicit operator GgufValue(long v) => new(GgufValueType.Int64, null, v);
    public static implicit operator GgufValue(double v) => new(GgufValueType.Float64, null, v);
    public static implicit operator GgufValue(byte[] v) => Create(v);
    public static implicit operator GgufValue(sbyte[] v) => Create(v);
    public static implicit operator GgufValue(ushort[] v) => Create(v);
    public static implicit operator GgufValue(short[] v) => Create(v);
    public static implicit operator GgufValue(uint[] v) => Create(v);
    public static implicit operator GgufValue(int[] v) => Create(v);
    public static implicit operator GgufValue(float[] v) => Create(v);
    public static implicit operator GgufValue(bool[] v) => Create(v);
    public static implicit operator GgufValue(string[] v) => Create(v);
    public static implicit operator GgufValue(ulong[] v) => Create(v);
    public static implicit operator GgufValue(long[] v) => Create(v);
    public static implicit operator GgufValue(double[] v) => Create(v);
#pragma warning restore CS1591

    /// <summary>Same type and same content; floats compare by bit pattern so NaN equals itself.</summary>
    public bool Equals(GgufValue? other)
    {
        if (other is null || other.Type != Type || other.ElementType != ElementType) return false;
        return (Value, other.Value) switch
        {
            (float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b),
            (double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b),
            (float[] a, float[] b) => a.AsSpan().SequenceEqual(b), // IEquatable<float>: NaN == NaN
            (double[] a, double[] b) => a.AsSpan().SequenceEqual(b),
            (string[] a, string[] b) => a.AsSpan().SequenceEqual(b),
            (Array a, Array b) => StructuralEquals(a, b),
            var (a, b) => a.Equals(b),
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GgufValue);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, ElementType, Count);

    /// <summary>A short, readable rendering; long arrays and strings are abbreviated.</summary>
    public override string ToString()
    {
        if (Value is Array array)
        {
            var shown = Math.Min(array.Length, 8);
            var items = Enumerable.Range(0, shown).Select(i => Format(array.GetValue(i)!));
            return $"{TypeName}({array.Length}) [{string.Join(", ", items)}{(array.Length > shown ? ", ..." : "")}]";
        }
        return Format(Value);
    }

    private static string Format(object value) => value switch
    {
        string s => s.Length > 80 ? $"\"{s[..80]}...\"" : $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool StructuralEquals(Array a, Array b) =>
        a.GetType() == b.GetType() && System.Collections.StructuralComparisons.StructuralEqualityComparer.Equals(a, b);
}
