using System.Text;

namespace AgentHost.Grammar;

/// <summary>Regex helpers for lazy-grammar triggers, written for std::regex's ECMAScript dialect.</summary>
public static class TriggerRegex
{
    /// <summary>Escapes <paramref name="literal"/> so it matches itself.</summary>
    public static string Escape(string literal)
    {
        var sb = new StringBuilder(literal.Length * 2);
        foreach (var c in literal)
        {
            if ("\\^$.|?*+()[]{}/".Contains(c, StringComparison.Ordinal)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The whitespace the JSON grammar allows between tokens, as a regex: a trigger must only match text the grammar
    /// accepts, or llama.cpp fails when it replays the triggering text through the grammar.
    /// </summary>
    public static string Space(JsonWhitespace whitespace) =>
        whitespace == JsonWhitespace.Compact ? "" : "(?: |\\n{1,2}[ \\t]{0,20})?";
}
