using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AgentHost.Gguf;

/// <summary>
/// The key/value metadata of a GGUF file, in file order, with typed look-ups.
/// <see cref="TryGet{T}"/> returns false only when the key is absent; a key holding another type is an error
/// (<see cref="GgufMetadataException"/> naming the key, the requested and the stored type), since silently treating it
/// as absent would hide a malformed file.
/// </summary>
public sealed class GgufMetadata : IReadOnlyDictionary<string, GgufValue>
{
    private readonly List<KeyValuePair<string, GgufValue>> _entries;
    private readonly Dictionary<string, GgufValue> _byKey;

    /// <summary>Creates metadata from entries in file order; keys must be unique.</summary>
    /// <param name="entries">The key/value pairs.</param>
    /// <param name="source">The file the metadata came from, for messages; null when not from a file.</param>
    /// <exception cref="ArgumentException">A key is repeated.</exception>
    public GgufMetadata(IEnumerable<KeyValuePair<string, GgufValue>> entries, string? source = null)
    {
        _entries = [.. entries];
        _byKey = new Dictionary<string, GgufValue>(_entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in _entries)
            if (!_byKey.TryAdd(key, value)) throw new ArgumentException($"Duplicate metadata key '{key}'.", nameof(entries));
        Source = source;
    }

    /// <summary>The file the metadata came from, when known.</summary>
    public string? Source { get; }

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public GgufValue this[string key] => _byKey.TryGetValue(key, out var value) ? value : throw GgufMetadataException.Missing(key, Source);

    /// <summary>The keys in file order.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <summary>The values in file order.</summary>
    public IEnumerable<GgufValue> Values => _entries.Select(e => e.Value);

    /// <inheritdoc />
    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out GgufValue value) => _byKey.TryGetValue(key, out value);

    /// <summary>
    /// The value of <paramref name="key"/> as exactly <typeparamref name="T"/> (uint, string, float, string[], int[] ...).
    /// False when the key is absent.
    /// </summary>
    /// <exception cref="GgufMetadataException">The key holds another type.</exception>
    public bool TryGet<T>(string key, [MaybeNullWhen(false)] out T value)
    {
        if (!_byKey.TryGetValue(key, out var stored))
        {
            value = default;
            return false;
        }
        if (stored.TryGet(out value)) return true;
        throw GgufMetadataException.WrongType(key, GgufValueTypes.DescribeClrType(typeof(T)), stored.TypeName, Source);
    }

    /// <summary>The value of <paramref name="key"/> as exactly <typeparamref name="T"/>.</summary>
    /// <exception cref="GgufMetadataException">The key is absent or holds another type.</exception>
    public T Get<T>(string key) =>
        TryGet<T>(key, out var value) ? value : throw GgufMetadataException.Missing(key, Source);

    /// <summary>The value of an integer key of any integer width, as a long. False when absent.</summary>
    /// <exception cref="GgufMetadataException">The key holds a non-integer (or a uint64 above long.MaxValue).</exception>
    public bool TryGetInteger(string key, out long value)
    {
        value = 0;
        if (!_byKey.TryGetValue(key, out var stored)) return false;
        return stored.TryGetInt64(out value)
            ? true
            : throw GgufMetadataException.WrongType(key, "integer", stored.TypeName, Source);
    }

    /// <summary>The value of an integer key of any integer width, as a long.</summary>
    /// <exception cref="GgufMetadataException">The key is absent or not an integer.</exception>
    public long GetInteger(string key) =>
        TryGetInteger(key, out var value) ? value : throw GgufMetadataException.Missing(key, Source);

    /// <summary>The value of a float32/float64 (or integer) key as a double. False when absent.</summary>
    /// <exception cref="GgufMetadataException">The key holds a non-number.</exception>
    public bool TryGetNumber(string key, out double value)
    {
        value = 0;
        if (!_byKey.TryGetValue(key, out var stored)) return false;
        return stored.TryGetDouble(out value)
            ? true
            : throw GgufMetadataException.WrongType(key, "number", stored.TypeName, Source);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, GgufValue>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
