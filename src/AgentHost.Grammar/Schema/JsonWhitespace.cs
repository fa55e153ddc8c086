namespace AgentHost.Grammar;

/// <summary>How much whitespace the generated JSON grammars allow between tokens.</summary>
public enum JsonWhitespace
{
    /// <summary>
    /// After <c>{ [ : ,</c> and before <c>} ]</c>: nothing, one space, or one or two newlines followed by at most
    /// 20 spaces/tabs. Bounded on purpose: unbounded whitespace lets a weak model loop on newlines forever.
    /// </summary>
    Bounded,

    /// <summary>No whitespace at all (compact JSON); the cheapest output.</summary>
    Compact,
}
