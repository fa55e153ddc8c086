namespace AgentHost.Jinja.Runtime.Values;

/// <summary>
/// Base of the runtime value model, mirroring llama.cpp's jinja::value_t: int, float, string,
/// bool, array (and tuple), object, none, undefined, function and keyword argument. Each type
/// carries its own builtin table: filters and methods are looked up on the receiver's type.
/// </summary>
internal abstract class Value
{
    protected static readonly IReadOnlyDictionary<string, BuiltinFn> NoBuiltins = new Dictionary<string, BuiltinFn>();

    /// <summary>Integer payload shared by numeric types (for equality across int, float and bool).</summary>
    public long ValInt { get; protected init; }

    /// <summary>Float payload shared by numeric types.</summary>
    public double ValFlt { get; protected init; }

    /// <summary>Type name used in error messages (llama.cpp's type()).</summary>
    public abstract string TypeName { get; }

    public virtual long AsInt() => throw TypeError("is not an int value");

    public virtual double AsFloat() => throw TypeError("is not a float value");

    public virtual JinjaString AsString() => throw TypeError("is not a string value");

    public virtual bool AsBool() => throw TypeError("is not a bool value");

    public virtual List<Value> AsArray() => throw TypeError("is not an array value");

    public virtual bool IsNone => false;

    public virtual bool IsUndefined => false;

    public virtual bool IsNumeric => false;

    public virtual bool IsHashable => false;

    public virtual bool IsImmutable => true;

    /// <summary>Filters and methods callable on this value (the receiver is passed as argument 0).</summary>
    public virtual IReadOnlyDictionary<string, BuiltinFn> Builtins => throw TypeError("has no builtins");

    /// <summary>Jinja <c>==</c>: "equivalent" comparison as defined per type by llama.cpp.</summary>
    public abstract bool Equivalent(Value other);

    /// <summary>Representation used inside list/dict string conversions.</summary>
    public virtual string AsRepr() => AsString().Str;

    // Usage statistics, only recorded when rendering for capability detection.
    public bool Used { get; private set; }

    public HashSet<string>? Ops { get; private set; }

    /// <summary>Process-wide instances (true, false, none, undefined) never record statistics, so renders stay independent.</summary>
    protected virtual bool IsShared => false;

    public void AddOp(string op)
    {
        if (!IsShared) (Ops ??= []).Add(op);
    }

    public bool HasOp(string op) => Ops?.Contains(op) == true;

    public static void MarkUsed(Value v, bool deep = false)
    {
        if (!v.IsShared) v.Used = true;
        if (!deep) return;
        switch (v)
        {
            case ArrayValue a:
                foreach (var item in a.Items) MarkUsed(item, true);
                break;
            case ObjectValue o:
                foreach (var (k, val) in o.Entries)
                {
                    MarkUsed(k, true);
                    MarkUsed(val, true);
                }
                break;
        }
    }

    protected JinjaError TypeError(string expected) => new($"{TypeName} {expected}");
}
