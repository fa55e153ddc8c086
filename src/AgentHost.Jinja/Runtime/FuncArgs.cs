using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime;

/// <summary>Signature of every builtin: filters, methods, tests and globals.</summary>
internal delegate Value BuiltinFn(FuncArgs args);

/// <summary>
/// Arguments of a builtin or macro call. Keyword arguments stay in the positional list as
/// <see cref="KwargValue"/> entries, exactly like llama.cpp's func_args, which some builtins rely on.
/// </summary>
internal sealed class FuncArgs
{
    private readonly List<Value> _args;

    public FuncArgs(Context ctx, string funcName = "", List<Value>? args = null)
    {
        Ctx = ctx;
        FuncName = funcName;
        _args = args ?? [];
    }

    public Context Ctx { get; }

    public string FuncName { get; }

    public IReadOnlyList<Value> All => _args;

    public int Count => _args.Count;

    public void Add(Value v) => _args.Add(v);

    /// <summary>A copy named <paramref name="name"/> with <paramref name="self"/> (when bound) prepended.</summary>
    public FuncArgs ForCall(string name, Value? self)
    {
        var list = new List<Value>(_args.Count + 1);
        if (self is not null) list.Add(self);
        list.AddRange(_args);
        return new FuncArgs(Ctx, name, list);
    }

    public Value GetKwarg(string key, Value defaultValue)
    {
        foreach (var a in _args)
            if (a is KwargValue kw && kw.Key == key) return kw.Value;
        return defaultValue;
    }

    public Value GetKwargOrPos(string key, int pos)
    {
        var v = GetKwarg(key, UndefinedValue.Instance);
        if (v.IsUndefined && pos < _args.Count && _args[pos] is not KwargValue) return _args[pos];
        return v;
    }

    public Value GetPos(int pos) =>
        pos < _args.Count
            ? _args[pos]
            : throw new JinjaError($"function '{FuncName}' expected at least {pos + 1} arguments, got {_args.Count}");

    public Value GetPos(int pos, Value defaultValue) => pos < _args.Count ? _args[pos] : defaultValue;

    public void EnsureCount(int min, int max = 999)
    {
        if (_args.Count < min || _args.Count > max)
            throw new JinjaError($"function '{FuncName}' expected between {min} and {max} arguments, got {_args.Count}");
    }

    /// <summary>Checks argument types the way llama.cpp's ensure_vals does (only required positions are checked).</summary>
    public void EnsureVals(params ArgSpec[] specs)
    {
        EnsureCount(specs.Count(s => s.Required));
        for (var i = 0; i < specs.Length; i++)
        {
            if (!specs[i].Required || i >= _args.Count) continue;
            if (!specs[i].Is(_args[i]))
                throw new JinjaError($"function '{FuncName}' expected a {specs[i].TypeName} as argument {i + 1}, got {_args[i].TypeName}");
        }
    }
}

/// <summary>Expected type of one argument for <see cref="FuncArgs.EnsureVals"/>.</summary>
internal readonly record struct ArgSpec(Func<Value, bool> Is, string TypeName, bool Required)
{
    public static readonly ArgSpec String = new(v => v is StringValue, "string", true);
    public static readonly ArgSpec Int = new(v => v is IntValue, "integer", true);
    public static readonly ArgSpec Float = new(v => v is FloatValue, "float", true);
    public static readonly ArgSpec Bool = new(v => v is BoolValue, "boolean", true);
    public static readonly ArgSpec Array = new(v => v is ArrayValue, "list", true);
    public static readonly ArgSpec Object = new(v => v is ObjectValue, "dict", true);

    /// <summary>A trailing argument that is neither counted as required nor type-checked.</summary>
    public static readonly ArgSpec Optional = new(_ => true, "any", false);
}
