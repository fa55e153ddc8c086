namespace AgentHost.Gguf;

/// <summary>
/// The bytes are not a valid GGUF file: bad magic, unsupported version, truncation, an absurd count or length,
/// an unknown value or tensor type, or tensor data outside the file. Names the file, the byte offset and what was being read.
/// </summary>
public sealed class GgufFormatException : AgentHostException
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="filePath">The file (or stream description) being read; null when unknown.</param>
    /// <param name="offset">Byte offset, from the start of the GGUF data, where the problem was found.</param>
    /// <param name="reading">What was being read, e.g. "tensor info #3 ('blk.0.attn_q.weight') dimensions".</param>
    /// <param name="problem">What is wrong, e.g. "unexpected end of file: needed 8 bytes, 3 remain".</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public GgufFormatException(string? filePath, long offset, string reading, string problem, Exception? innerException = null)
        : base(Compose(filePath, offset, reading, problem), innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Reading = reading;
        Problem = problem;
    }

    /// <summary>The file (or stream description) being read; null when unknown.</summary>
    public string? FilePath { get; }

    /// <summary>Byte offset, from the start of the GGUF data, where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>What was being read when the problem was found.</summary>
    public string Reading { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Compose(string? filePath, long offset, string reading, string problem) =>
        $"Invalid GGUF file '{filePath ?? "<stream>"}' at offset {offset} while reading {reading}: {problem}";
}
