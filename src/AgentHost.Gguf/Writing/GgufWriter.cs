using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace AgentHost.Gguf;

/// <summary>
/// Writes a GGUF v3 file in one forward pass, so arbitrarily large models stream through a small buffer:
/// 1. declare metadata (<see cref="AddMetadata"/>) and tensors (<see cref="AddTensor"/>);
/// 2. write each tensor's data, in declaration order, in as many chunks as wanted
///    (<see cref="WriteTensorData"/> encodes floats to F32/F16/Q8_0, <see cref="WriteTensorBytes"/> takes pre-encoded bytes);
/// 3. <see cref="Finish"/>.
/// Tensor data is aligned to <see cref="Alignment"/> (32 by default) and padded after each tensor, as llama.cpp's writer does.
/// </summary>
public sealed class GgufWriter : IDisposable
{
    private const int MaxTensorNameBytes = 63; // GGML_MAX_NAME - 1
    private const int ChunkValues = 32 * 1024; // values encoded per scratch buffer fill
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _target;
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<DeclaredTensor> _tensors = [];
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);
    private readonly byte[] _scratch = new byte[ChunkValues * 4];
    private readonly float[] _carry = new float[GgmlEncoding.Q8_0BlockSize]; // a partial Q8_0 block between chunks
    private readonly byte[] _number = new byte[8];

    private Phase _phase = Phase.Declaring;
    private long _position;          // bytes written so far
    private long _dataSize;          // bytes of the data section, padding included
    private long _dataStart = -1;    // offset of the data section, once the header is written
    private int _current;            // tensor whose data is being written
    private long _currentElements;   // values (WriteTensorData) written to it
    private long _currentBytes;      // bytes written to it
    private int _carryCount;
    private bool _disposed;

    private enum Phase { Declaring, WritingData, Finished }

    private sealed record DeclaredTensor(string Name, long[] Dimensions, GgmlType Type, long Elements, long ByteSize, long Offset);

    /// <summary>Creates (or overwrites) the file at <paramref name="path"/>.</summary>
    /// <param name="path">Output file.</param>
    /// <param name="alignment">Tensor data alignment, a power of two; written as general.alignment when not 32.</param>
    public GgufWriter(string path, uint alignment = GgufFile.DefaultAlignment)
        : this(CreateFile(path, alignment), alignment, leaveOpen: false)
    {
    }

    /// <summary>Writes to a stream (which need not be seekable), starting at its current position.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="alignment">Tensor data alignment, a power of two; written as general.alignment when not 32.</param>
    /// <param name="leaveOpen">True to leave <paramref name="output"/> open when the writer is disposed.</param>
    public GgufWriter(Stream output, uint alignment = GgufFile.DefaultAlignment, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite) throw new ArgumentException("The stream must be writable.", nameof(output));
        ValidateAlignment(alignment);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("GGUF writing assumes a little-endian host.");
        Alignment = alignment;
        _target = output;
        _output = new BufferedStream(output, 1 << 20);
        _leaveOpen = leaveOpen;
    }

    /// <summary>Tensor data alignment in bytes.</summary>
    public uint Alignment { get; }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _position;

    /// <summary>Bytes of the tensor data section (padding included) for the tensors declared so far.</summary>
    public long TensorDataSize => _dataSize;

    /// <summary>Bytes of the tensor data section written so far (padding included).</summary>
    public long TensorDataWritten => _dataStart < 0 ? 0 : _position - _dataStart;

    /// <summary>Adds a metadata key/value (any GGUF type; .NET scalars and arrays convert implicitly).</summary>
    /// <exception cref="ArgumentException">Empty or repeated key, or a general.alignment that contradicts <see cref="Alignment"/>.</exception>
    /// <exception cref="InvalidOperationException">Tensor data has already been written.</exception>
    public void AddMetadata(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        RequirePhase(Phase.Declaring, "add metadata");
        if (key == GgufKeys.Alignment && !(value.TryGet<uint>(out var a) && a == Alignment))
            throw new ArgumentException($"'{GgufKeys.Alignment}' must be the uint32 {Alignment} this writer aligns to, not {value.TypeName} {value}.", nameof(value));
        if (!_keys.Add(key)) throw new ArgumentException($"Metadata key '{key}' was already added.", nameof(key));
        _metadata.Add(new(key, value));
    }

    /// <summary>Declares a tensor; its data must later be written in declaration order.</summary>
    /// <param name="name">Unique name of at most 63 UTF-8 bytes.</param>
    /// <param name="type">Storage type.</param>
    /// <param name="dimensions">1 to 4 sizes in ggml order (innermost first); the first must be a multiple of the type's block size.</param>
    public void AddTensor(string name, GgmlType type, params ReadOnlySpan<long> dimensions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        RequirePhase(Phase.Declaring, "add a tensor");
        if (Utf8.GetByteCount(name) > MaxTensorNameBytes)
            throw new ArgumentException($"Tensor name '{name}' is longer than {MaxTensorNameBytes} bytes.", nameof(name));
        if (!GgmlTypeTraits.IsKnown(type)) throw new ArgumentException($"Unknown ggml type {(uint)type}.", nameof(type));
        if (dimensions.Length is < 1 or > 4)
            throw new ArgumentException($"Tensor '{name}' has {dimensions.Length} dimensions; 1 to 4 are allowed.", nameof(dimensions));
        long elements = 1;
        foreach (var d in dimensions)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension {d}.", nameof(dimensions));
            elements = checked(elements * d);
        }
        var blockSize = GgmlTypeTraits.BlockSize(type);
        if (dimensions[0] % blockSize != 0)
            throw new ArgumentException($"Tensor '{name}': {dimensions[0]} values per row is not a multiple of the {type} block size {blockSize}.", nameof(dimensions));
        if (!_tensorNames.Add(name)) throw new ArgumentException($"Tensor '{name}' was already added.", nameof(name));

        var byteSize = GgmlTypeTraits.ByteSize(type, elements);
        _tensors.Add(new DeclaredTensor(name, dimensions.ToArray(), type, elements, byteSize, _dataSize));
        _dataSize += GgufParser.AlignUp(byteSize, Alignment);
    }

    /// <summary>
    /// Appends values to tensor <paramref name="name"/>, encoding them to its type (F32, F16 or Q8_0).
    /// Call repeatedly to stream a large tensor; it is complete when all its values are written.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not the tensor whose data is due, or more values than it holds.</exception>
    /// <exception cref="NotSupportedException">The tensor's type cannot be encoded from floats here; use <see cref="WriteTensorBytes"/>.</exception>
    public void WriteTensorData(string name, ReadOnlySpan<float> values)
    {
        var tensor = BeginChunk(name);
        if (tensor.Type is not (GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0))
            throw new NotSupportedException($"Tensor '{name}' is {tensor.Type}; only F32, F16 and Q8_0 are encoded from floats. Use WriteTensorBytes.");
        if (_currentBytes > 0 && _currentElements == 0)
            throw new InvalidOperationException($"Tensor '{name}' was started with WriteTensorBytes; continue with WriteTensorBytes.");
        if (values.Length > tensor.Elements - _currentElements)
            throw new InvalidOperationException($"Tensor '{name}' holds {tensor.Elements} values; {_currentElements} are written and {values.Length} more were given.");

        _currentElements += values.Length;
        switch (tensor.Type)
        {
            case GgmlType.F32: WriteRaw(MemoryMarshal.AsBytes(values)); break;
            case GgmlType.F16: WriteF16(values); break;
            default: WriteQ8_0(values); break;
        }
        CompleteIfDone(tensor);
    }

    /// <summary>Appends already-encoded bytes (any ggml type) to tensor <paramref name="name"/>; may be called repeatedly.</summary>
    /// <exception cref="InvalidOperationException">Not the tensor whose data is due, or more bytes than it holds.</exception>
    public void WriteTensorBytes(string name, ReadOnlySpan<byte> data)
    {
        var tensor = BeginChunk(name);
        if (_currentElements > 0)
            throw new InvalidOperationException($"Tensor '{name}' was started with WriteTensorData; continue with WriteTensorData.");
        if (data.Length > tensor.ByteSize - _currentBytes)
            throw new InvalidOperationException($"Tensor '{name}' holds {tensor.ByteSize} bytes; {_currentBytes} are written and {data.Length} more were given.");
        WriteRaw(data);
        CompleteIfDone(tensor);
    }

    /// <summary>Writes the header if no data was written, checks every tensor is complete and flushes.</summary>
    /// <exception cref="InvalidOperationException">A declared tensor's data is missing or incomplete.</exception>
    public void Finish()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_phase == Phase.Finished) return;
        if (_phase == Phase.Declaring) WriteHeader();
        if (_current < _tensors.Count)
        {
            var missing = _tensors[_current];
            throw new InvalidOperationException($"Tensor '{missing.Name}' has {_currentBytes} of its {missing.ByteSize} bytes; {_tensors.Count - _current} tensor(s) are incomplete.");
        }
        _output.Flush();
        _phase = Phase.Finished;
    }

    /// <summary>Flushes what was written and closes the output (unless leaveOpen). Does not complete the file: call <see cref="Finish"/>.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _output.Flush();
        }
        finally
        {
            if (!_leaveOpen) _target.Dispose();
        }
    }

    private DeclaredTensor BeginChunk(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_phase == Phase.Finished) throw new InvalidOperationException("The file is finished.");
        if (_phase == Phase.Declaring) WriteHeader();
        if (_current >= _tensors.Count)
            throw new InvalidOperationException($"All declared tensors are complete; '{name}' has no data left to write.");
        var tensor = _tensors[_current];
        if (tensor.Name != name)
            throw new InvalidOperationException($"Tensor data must follow declaration order: '{tensor.Name}' is due, not '{name}'.");
        return tensor;
    }

    private void CompleteIfDone(DeclaredTensor tensor)
    {
        if (_currentBytes != tensor.ByteSize) return;
        WritePadding();
        _current++;
        _currentElements = 0;
        _currentBytes = 0;
        _carryCount = 0;
    }

    private void WriteF16(ReadOnlySpan<float> values)
    {
        while (!values.IsEmpty)
        {
            var n = Math.Min(values.Length, ChunkValues);
            GgmlEncoding.EncodeF16(values[..n], _scratch);
            WriteRaw(_scratch.AsSpan(0, n * 2));
            values = values[n..];
        }
    }

    // Q8_0 needs whole blocks of 32: a chunk's tail waits in _carry for the next chunk.
    private void WriteQ8_0(ReadOnlySpan<float> values)
    {
        const int block = GgmlEncoding.Q8_0BlockSize;
        if (_carryCount > 0)
        {
            var take = Math.Min(block - _carryCount, values.Length);
            values[..take].CopyTo(_carry.AsSpan(_carryCount));
            _carryCount += take;
            values = values[take..];
            if (_carryCount < block) return;
            GgmlEncoding.EncodeQ8_0(_carry, _scratch);
            WriteRaw(_scratch.AsSpan(0, GgmlEncoding.Q8_0BlockBytes));
            _carryCount = 0;
        }
        while (values.Length >= block)
        {
            var n = Math.Min(values.Length, ChunkValues) / block * block;
            GgmlEncoding.EncodeQ8_0(values[..n], _scratch);
            WriteRaw(_scratch.AsSpan(0, n / block * GgmlEncoding.Q8_0BlockBytes));
            values = values[n..];
        }
        values.CopyTo(_carry);
        _carryCount = values.Length;
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _position += bytes.Length;
        _currentBytes += bytes.Length;
    }

    private void WritePadding()
    {
        var padding = (int)(GgufParser.AlignUp(_position, Alignment) - _position);
        Span<byte> zeros = stackalloc byte[64];
        zeros.Clear();
        while (padding > 0)
        {
            var n = Math.Min(padding, zeros.Length);
            _output.Write(zeros[..n]);
            _position += n;
            padding -= n;
        }
    }

    private void WriteHeader()
    {
        if (Alignment != GgufFile.DefaultAlignment && !_keys.Contains(GgufKeys.Alignment))
            AddMetadata(GgufKeys.Alignment, Alignment);

        WriteUInt32(0x46554747); // "GGUF"
        WriteUInt32(3);
        WriteUInt64((ulong)_tensors.Count);
        WriteUInt64((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            WriteString(key);
            WriteValue(value);
        }
        foreach (var tensor in _tensors)
        {
            WriteString(tensor.Name);
            WriteUInt32((uint)tensor.Dimensions.Length);
            foreach (var d in tensor.Dimensions) WriteUInt64((ulong)d);
            WriteUInt32((uint)tensor.Type);
            WriteUInt64((ulong)tensor.Offset);
        }
        WritePadding();
        _dataStart = _position;
        _currentBytes = 0;
        _phase = Phase.WritingData;
    }

    private void WriteValue(GgufValue value)
    {
        WriteUInt32((uint)value.Type);
        if (!value.IsArray)
        {
            WriteScalar(value.Value);
            return;
        }
        WriteUInt32((uint)value.ElementType!.Value);
        var array = (Array)value.Value;
        WriteUInt64((ulong)array.Length);
        switch (array)
        {
            case string[] strings: foreach (var s in strings) WriteString(s); break;
            case bool[] bools: foreach (var b in bools) WriteByte(b ? (byte)1 : (byte)0); break;
            case byte[] a: WriteRaw(a); break;
            case sbyte[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case ushort[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case short[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case uint[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case int[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case float[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case ulong[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case long[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case double[] a: WriteRaw(MemoryMarshal.AsBytes(a.AsSpan())); break;
            default: throw new InvalidOperationException($"unreachable: array of {array.GetType().GetElementType()}");
        }
    }

    private void WriteScalar(object value)
    {
        switch (value)
        {
            case byte v: WriteByte(v); break;
            case sbyte v: WriteByte((byte)v); break;
            case ushort v: BinaryPrimitives.WriteUInt16LittleEndian(_number, v); WriteRaw(_number.AsSpan(0, 2)); break;
            case short v: BinaryPrimitives.WriteInt16LittleEndian(_number, v); WriteRaw(_number.AsSpan(0, 2)); break;
            case uint v: WriteUInt32(v); break;
            case int v: WriteUInt32((uint)v); break;
            case float v: WriteUInt32(BitConverter.SingleToUInt32Bits(v)); break;
            case bool v: WriteByte(v ? (byte)1 : (byte)0); break;
            case string v: WriteString(v); break;
            case ulong v: WriteUInt64(v); break;
            case long v: WriteUInt64((ulong)v); break;
            case double v: WriteUInt64(BitConverter.DoubleToUInt64Bits(v)); break;
            default: throw new InvalidOperationException($"unreachable: scalar {value.GetType()}");
        }
    }

    private void WriteString(string value)
    {
        var bytes = Utf8.GetBytes(value);
        WriteUInt64((ulong)bytes.Length);
        WriteRaw(bytes);
    }

    private void WriteByte(byte value)
    {
        _number[0] = value;
        WriteRaw(_number.AsSpan(0, 1));
    }

    private void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_number, value);
        WriteRaw(_number.AsSpan(0, 4));
    }

    private void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_number, value);
        WriteRaw(_number.AsSpan(0, 8));
    }

    // Checked before the file is created, so a bad argument leaves no empty file or open handle behind.
    private static FileStream CreateFile(string path, uint alignment)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ValidateAlignment(alignment);
        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
    }

    private static void ValidateAlignment(uint alignment)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "The alignment must be a power of two.");
    }

    private void RequirePhase(Phase phase, string action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_phase != phase) throw new InvalidOperationException($"Cannot {action} after tensor data has been written.");
    }
}
