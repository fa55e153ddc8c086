using AgentHost.Jinja.Runtime.Builtins;

namespace AgentHost.Jinja.Runtime.Values;

internal sealed class StringValue(JinjaString value) : Value
{
    public StringValue(string text, bool isInput = false) : this(new JinjaString(text, isInput)) { }

    public JinjaString Value { get; } = value;

    public string Str => Value.Str;

    public override string TypeName => "String";
    public override JinjaString AsString() => Value;
    public override bool AsBool() => Value.Str.Length > 0;
    public override bool IsHashable => true;
    public override IReadOnlyDictionary<string, BuiltinFn> Builtins => StringBuiltins.Table;

    public override bool Equivalent(Value other) => other is StringValue s && s.Str == Str;
}
