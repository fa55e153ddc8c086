using System.Diagnostics.CodeAnalysis;

namespace AgentHost.Gguf;

/// <summary>
/// A parsed GGUF file (v2 or v3): header, all metadata, tensor infos, alignment and where the tensor data starts.
/// Tensor data is not loaded; the object holds no open file.
/// </summary>
public sealed class GgufFile
{
    /// <summary>Alignment of tensor data when general.alignment is absent.</summary>
    public const uint DefaultAlignment = 32;

    private bool _readFromPath; // tensor data offsets are then file offsets of FilePath

    internal GgufFile(string? filePath, uint version, long fileSize, uint alignment, long dataOffset,
        GgufMetadata metadata, IReadOnlyList<GgufTensorInfo> tensors)
    {
        FilePath = filePath;
        Version = version;
        FileSize = fileSize;
        Alignment = alignment;
        DataOffset = dataOffset;
        Metadata = metadata;
        Tensors = tensors;
    }

    /// <summary>Reads the header, metadata and tensor infos of the GGUF file at <paramref name="path"/>.</summary>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static GgufFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var file = GgufParser.Parse(stream, fullPath);
        file._readFromPath = true;
        return file;
    }

    /// <summary>
    /// Reads a GGUF file from a seekable stream, starting at its current position (offsets are relative to it).
    /// The stream is left open.
    /// </summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="sourceName">How error messages name the stream, e.g. its file name.</param>
    /// <exception cref="GgufFormatException">The data is not a valid GGUF file.</exception>
    /// <exception cref="ArgumentException">The stream cannot read or seek (its length bounds every count and length).</exception>
    public static GgufFile Read(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek) throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
        return GgufParser.Parse(stream, sourceName);
    }

    /// <summary>The file read (full path), or the stream's name; null for an unnamed stream.</summary>
    public string? FilePath { get; }

    /// <summary>GGUF version: 2 or 3.</summary>
    public uint Version { get; }

    /// <summary>Total bytes of the GGUF data (the file size when read from a path).</summary>
    public long FileSize { get; }

    /// <summary>Alignment of tensor data (general.alignment, else 32).</summary>
    public uint Alignment { get; }

    /// <summary>Offset where the tensor data section starts (aligned end of the tensor infos).</summary>
    public long DataOffset { get; }

    /// <summary>All metadata, in file order.</summary>
    public GgufMetadata Metadata { get; }

    /// <summary>All tensor infos, in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public GgufTensorInfo? FindTensor(string name) => Tensors.FirstOrDefault(t => t.Name == name);

    /// <summary>general.architecture, e.g. "llama" or "qwen2".</summary>
    public string? Architecture => GetString(GgufKeys.Architecture);

    /// <summary>general.name.</summary>
    public string? Name => GetString(GgufKeys.Name);

    /// <summary>{arch}.context_length: the context the model was trained with.</summary>
    public int? ContextLength => GetArchitectureInt(GgufKeys.ContextLength);

    /// <summary>{arch}.embedding_length (n_embd).</summary>
    public int? EmbeddingLength => GetArchitectureInt(GgufKeys.EmbeddingLength);

    /// <summary>{arch}.block_count (number of layers).</summary>
    public int? BlockCount => GetArchitectureInt(GgufKeys.BlockCount);

    /// <summary>{arch}.attention.head_count; for a per-layer array, the largest value.</summary>
    public int? HeadCount => GetArchitectureInt(GgufKeys.HeadCount);

    /// <summary>{arch}.attention.head_count_kv; like llama.cpp, falls back to <see cref="HeadCount"/> when absent.</summary>
    public int? HeadCountKv => GetArchitectureInt(GgufKeys.HeadCountKv) ?? HeadCount;

    /// <summary>{arch}.feed_forward_length (n_ff); for a per-layer array, the largest value.</summary>
    public int? FeedForwardLength => GetArchitectureInt(GgufKeys.FeedForwardLength);

    /// <summary>tokenizer.chat_template (a Jinja template), when the file has one.</summary>
    public string? ChatTemplate => GetString(GgufKeys.ChatTemplate);

    /// <summary>tokenizer.ggml.model: "llama" (SentencePiece), "gpt2" (BPE), "bert" ...</summary>
    public string? TokenizerModel => GetString(GgufKeys.TokenizerModel);

    /// <summary>Number of entries in tokenizer.ggml.tokens (the vocabulary size).</summary>
    public int? TokenCount => Metadata.TryGet<string[]>(GgufKeys.Tokens, out var tokens) ? tokens.Length : null;

    /// <summary>tokenizer.ggml.bos_token_id; null when absent or set to "none" (0xFFFFFFFF, i.e. -1).</summary>
    public int? BosTokenId => GetTokenId(GgufKeys.BosTokenId);

    /// <summary>tokenizer.ggml.eos_token_id; null when absent or set to "none" (0xFFFFFFFF, i.e. -1).</summary>
    public int? EosTokenId => GetTokenId(GgufKeys.EosTokenId);

    /// <summary>tokenizer.ggml.padding_token_id; null when absent or set to "none" (0xFFFFFFFF, i.e. -1).</summary>
    public int? PadTokenId => GetTokenId(GgufKeys.PadTokenId);

    /// <summary>general.file_type (a llama_ftype value).</summary>
    public int? FileType => GetInt(GgufKeys.FileType);

    /// <summary>general.file_type as a name: "F32", "F16", "Q8_0", "Q4_K_M" ...; null when absent or unknown.</summary>
    public string? FileTypeName => FileType is { } fileType ? GgufFileTypes.GetName(fileType) : null;

    /// <summary>Sum of the element counts of all tensors.</summary>
    public long ParameterCount => Tensors.Sum(t => t.ElementCount);

    /// <summary>The value of <paramref name="key"/> as exactly <typeparamref name="T"/>; false when absent.</summary>
    /// <exception cref="GgufMetadataException">The key holds another type.</exception>
    public bool TryGet<T>(string key, [MaybeNullWhen(false)] out T value) => Metadata.TryGet(key, out value);

    /// <summary>The value of <paramref name="key"/> as exactly <typeparamref name="T"/>.</summary>
    /// <exception cref="GgufMetadataException">The key is absent or holds another type.</exception>
    public T Get<T>(string key) => Metadata.Get<T>(key);

    /// <summary>Reads one tensor's raw data (in its stored type) from the file this object was read from.</summary>
    /// <exception cref="InvalidOperationException">The file was read from an unnamed stream.</exception>
    /// <exception cref="NotSupportedException">The tensor is larger than a .NET array can hold.</exception>
    public byte[] ReadTensorData(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_readFromPath || FilePath is null)
            throw new InvalidOperationException("Tensor data can be read only from a GgufFile read by path (GgufFile.Read(string)).");
        if (tensor.ByteSize > Array.MaxLength)
            throw new NotSupportedException($"Tensor '{tensor.Name}' has {tensor.ByteSize} bytes, more than one array can hold.");
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        stream.Seek(tensor.DataOffset, SeekOrigin.Begin);
        var data = new byte[tensor.ByteSize];
        try
        {
            stream.ReadExactly(data);
        }
        catch (EndOfStreamException e)
        {
            throw new GgufFormatException(FilePath, tensor.DataOffset, $"tensor '{tensor.Name}' data", "the file is shorter than when it was parsed", e);
        }
        return data;
    }

    private string? GetString(string key) => Metadata.TryGet<string>(key, out var value) ? value : null;

    private int? GetInt(string key) => Metadata.TryGetInteger(key, out var value) ? ToInt(key, value) : null;

    // Token ids are stored as uint32 where 0xFFFFFFFF means "no such token" (llama.cpp's LLAMA_TOKEN_NULL, -1).
    private int? GetTokenId(string key)
    {
        if (!Metadata.TryGetInteger(key, out var value) || value is -1 or uint.MaxValue) return null;
        return ToInt(key, value);
    }

    private int? GetArchitectureInt(string suffix)
    {
        if (Architecture is not { } architecture) return null;
        var key = GgufKeys.ForArchitecture(architecture, suffix);
        if (!Metadata.TryGetValue(key, out var value)) return null;
        if (value.TryGetInt64(out var scalar)) return ToInt(key, scalar);
        if (value.IsArray && value.Value is Array array && array.Length > 0)
        {
            // Per-layer arrays (hybrid and MoE models): the largest layer value sizes buffers safely.
            long max = long.MinValue;
            foreach (var item in array)
                max = Math.Max(max, GgufValue.Create(item).TryGetInt64(out var v) ? v : throw GgufMetadataException.WrongType(key, "integer or array of integers", value.TypeName, FilePath));
            return ToInt(key, max);
        }
        throw GgufMetadataException.WrongType(key, "integer or array of integers", value.TypeName, FilePath);
    }

    private int ToInt(string key, long value) => value is >= int.MinValue and <= int.MaxValue
        ? (int)value
        : throw new GgufMetadataException(key, $"GGUF metadata key '{key}' in '{FilePath ?? "<stream>"}' holds {value}, outside the int range.");
}
