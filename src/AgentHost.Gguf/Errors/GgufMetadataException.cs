namespace AgentHost.Gguf;

/// <summary>
/// A metadata key a caller asked for is missing, or holds a value of another type than the one asked for.
/// </summary>
public sealed class GgufMetadataException : AgentHostException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="message">The full message; it names the key.</param>
    /// <param name="expectedType">The type the caller asked for (GGUF type name), when relevant.</param>
    /// <param name="actualType">The type stored in the file (GGUF type name), or null when the key is missing.</param>
    public GgufMetadataException(string key, string message, string? expectedType = null, string? actualType = null)
        : base(message)
    {
        Key = key;
        ExpectedType = expectedType;
        ActualType = actualType;
    }

    /// <summary>The metadata key.</summary>
    public string Key { get; }

    /// <summary>The type the caller asked for (GGUF type name, e.g. "uint32" or "array[string]").</summary>
    public string? ExpectedType { get; }

    /// <summary>The type stored in the file, or null when the key is missing.</summary>
    public string? ActualType { get; }

    internal static GgufMetadataException Missing(string key, string? source) =>
        new(key, $"GGUF metadata key '{key}' is missing{(source is null ? "" : $" in '{source}'")}.");

    internal static GgufMetadataException WrongType(string key, string expected, string actual, string? source) =>
        new(key, $"GGUF metadata key '{key}'{(source is null ? "" : $" in '{source}'")} holds {actual}, not the requested {expected}.", expected, actual);
}
