using AgentHost.Jinja.Runtime.Builtins;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime;

/// <summary>Python-like repr used when lists and dicts are converted to strings.</summary>
internal static class ValueRepr
{
    public static string Of(Value v)
    {
        if (v is not StringValue s) return v.AsRepr();
        // llama.cpp switches to a JSON (double-quoted) literal when the text holds a single quote
        return s.Str.Contains('\'') ? JsonWriter.Write(v) : "'" + s.Str + "'";
    }
}
