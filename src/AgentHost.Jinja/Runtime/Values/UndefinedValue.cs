using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Runtime.Values;

/// <summary>A missing variable or attribute; <see cref="Hint"/> names it in error messages.</summary>
internal sealed class UndefinedValue(string hint = "") : Value
{
    public static readonly UndefinedValue Instance = new();

    public string Hint { get; } = hint;

    protected override bool IsShared => ReferenceEquals(this, Instance);

    public override string TypeName => Hint.Length == 0 ? "Undefined" : $"Undefined (hint: '{Hint}')";
    public override bool IsUndefined => true;
    public override bool AsBool() => false;
    public override string AsRepr() => TypeName;
    public override IReadOnlyDictionary<string, BuiltinFn> Builtins => NoneUndefinedBuiltins.UndefinedTable;
    public override bool Equivalent(Value other) => other.IsUndefined;
}
