using System.Globalization;
using System.Text;
using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Runtime.Values;

/// <summary>
/// An insertion-ordered dict. Keys compare like llama.cpp's hashed keys: 1, 1.0 and true are the
/// same key; only immutable hashable values (strings, numbers, none, tuples of those) can be keys.
/// </summary>
internal sealed class ObjectValue : Value
{
    private readonly List<KeyValuePair<Value, Value>> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>False for loop objects: they expose their keys but no dict methods.</summary>
    public bool HasBuiltins { get; init; } = true;

    public IReadOnlyList<KeyValuePair<Value, Value>> Entries => _entries;

    public int Count => _entries.Count;

    public override string TypeName => "Object";
    public override bool IsImmutable => false;
    public override bool AsBool() => _entries.Count > 0;
    public override IReadOnlyDictionary<string, BuiltinFn> Builtins => HasBuiltins ? ObjectBuiltins.Table : NoBuiltins;

    public override bool IsHashable => _entries.All(e => e.Value.IsImmutable && e.Value.IsHashable);

    public override JinjaString AsString() =>
        new("{" + string.Join(", ", _entries.Select(e => ValueRepr.Of(e.Key) + ": " + ValueRepr.Of(e.Value))) + "}");

    public void Set(string key, Value value) => Set(new StringValue(key), value);

    public void Set(Value key, Value value)
    {
        var id = KeyId(key);
        if (_index.TryGetValue(id, out var i)) _entries[i] = new(_entries[i].Key, value);
        else
        {
            _index[id] = _entries.Count;
            _entries.Add(new(key, value));
        }
    }

    public bool HasKey(Value key) => _index.ContainsKey(KeyId(key));

    public Value Get(Value key, Value defaultValue) =>
        _index.TryGetValue(KeyId(key), out var i) ? _entries[i].Value : defaultValue;

    public Value Get(string key, Value defaultValue) => Get(new StringValue(key), defaultValue);

    /// <summary>Value for an existing key, or a "key not found" error.</summary>
    public Value GetRequired(Value key) =>
        _index.TryGetValue(KeyId(key), out var i)
            ? _entries[i].Value
            : throw new JinjaError($"Key '{key.AsString().Str}' not found in value of type {TypeName}");

    public override bool Equivalent(Value other) =>
        other is ObjectValue o && IsHashable && o.IsHashable && o._entries.Count == _entries.Count
        && _entries.Zip(o._entries).All(p => p.First.Key.Equivalent(p.Second.Key) && p.First.Value.Equivalent(p.Second.Value));

    /// <summary>Normalized identity of a key; throws for keys llama.cpp refuses (mutable or unhashable).</summary>
    public static string KeyId(Value key)
    {
        if (!key.IsImmutable || !key.IsHashable) throw new JinjaError($"Object key of unhashable type: {key.TypeName}");
        var sb = new StringBuilder();
        AppendKeyId(sb, key);
        return sb.ToString();
    }

    private static void AppendKeyId(StringBuilder sb, Value key)
    {
        switch (key)
        {
            case StringValue s:
                sb.Append("s:").Append(s.Str.Length).Append(':').Append(s.Str);
                break;
            case IntValue or BoolValue:
            case FloatValue when (double)key.ValInt == key.ValFlt:
                sb.Append("n:").Append(key.ValInt.ToString(CultureInfo.InvariantCulture)).Append(';');
                break;
            case FloatValue f:
                sb.Append("f:").Append(BitConverter.DoubleToInt64Bits(f.ValFlt).ToString(CultureInfo.InvariantCulture)).Append(';');
                break;
            case NoneValue:
                sb.Append("none;");
                break;
            case ArrayValue a:
                sb.Append("t(");
                foreach (var item in a.Items) AppendKeyId(sb, item);
                sb.Append(')');
                break;
            case KwargValue kw:
                sb.Append("kw:").Append(kw.Key.Length).Append(':').Append(kw.Key);
                AppendKeyId(sb, kw.Value);
                break;
            default:
                throw new JinjaError($"Object key of unhashable type: {key.TypeName}");
        }
    }
}
