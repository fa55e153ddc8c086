namespace AgentHost.Grammar.Tests.Support;

/// <summary>
/// A schema with instances: <see cref="Valid"/> must be accepted by the grammar, <see cref="Invalid"/> rejected, and
/// <see cref="Restricted"/> are schema-valid texts that the grammar deliberately leaves out (property order, extra
/// whitespace). <see cref="Validator"/> says whether NJsonSchema understands the schema well enough to cross-check.
/// </summary>
public sealed record SchemaCase(string Name, string Schema, string[] Valid, string[] Invalid, string[]? Restricted = null, bool Validator = true)
{
    public override string ToString() => Name;
}
