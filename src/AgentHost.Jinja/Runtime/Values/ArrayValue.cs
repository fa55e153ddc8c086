using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Runtime.Values;

/// <summary>A mutable list (templates may call append/pop on it).</summary>
internal class ArrayValue(List<Value> items) : Value
{
    public ArrayValue() : this([]) { }

    public List<Value> Items { get; } = items;

    public override string TypeName => "Array";
    public override bool IsImmutable => false;
    public override List<Value> AsArray() => Items;
    public override bool AsBool() => Items.Count > 0;
    public override IReadOnlyDictionary<string, BuiltinFn> Builtins => ArrayBuiltins.Table;

    public override bool IsHashable => Items.All(v => v.IsImmutable && v.IsHashable);

    /// <summary>Python-style repr: ['a', 1] for lists, ('a',) for one-item tuples.</summary>
    public override JinjaString AsString()
    {
        var immutable = IsImmutable;
        var body = string.Join(", ", Items.Select(ValueRepr.Of));
        var trailing = immutable && Items.Count == 1 ? "," : "";
        return new JinjaString(immutable ? $"({body}{trailing})" : $"[{body}]");
    }

    /// <summary>Mutates in place; tuples refuse.</summary>
    public void Add(Value v)
    {
        if (IsImmutable) throw new JinjaError("Attempting to modify immutable type");
        Items.Add(v);
    }

    public Value PopAt(long index)
    {
        if (IsImmutable) throw new JinjaError("Attempting to modify immutable type");
        if (index < 0) index += Items.Count;
        if (index < 0 || index >= Items.Count)
            throw new JinjaError($"Index {index} out of bounds for array of size {Items.Count}");
        var v = Items[(int)index];
        Items.RemoveAt((int)index);
        return v;
    }

    public override bool Equivalent(Value other) =>
        other.GetType() == GetType() && IsHashable && other.IsHashable
        && other is ArrayValue o && o.Items.Count == Items.Count
        && Items.Zip(o.Items).All(p => p.First.Equivalent(p.Second));
}

/// <summary>An immutable sequence: tuple literals, dict items, loop unpacking.</summary>
internal sealed class TupleValue(List<Value> items) : ArrayValue(items)
{
    public override string TypeName => "Tuple";
    public override bool IsImmutable => true;
}
