using System.Text;

namespace AgentHost.Grammar;

/// <summary>
/// GBNF for a JSON object key that is none of the declared property names, so <c>additionalProperties</c> cannot
/// repeat a declared key. Built from a trie of the names: at each node the key either leaves the trie or must not end
/// on a declared name. Keys are restricted to unescaped characters (a sound restriction that also rules out spelling a
/// declared name with escapes).
/// </summary>
internal static class ExcludedKeysGrammar
{
    private const string KeyChar = """[^"\\\x7F\x00-\x1F]""";

    private sealed class Node
    {
        public SortedDictionary<int, Node> Children { get; } = [];
        public bool IsEnd { get; set; }
    }

    /// <summary>The body of a rule matching a quoted key that differs from every name in <paramref name="names"/>.</summary>
    public static string Build(IEnumerable<string> names)
    {
        var root = new Node();
        foreach (var name in names)
        {
            // Names holding characters that need escaping can never be written by KeyChar anyway.
            if (name.Any(c => c is '"' or '\\' || c < 0x20 || c == 0x7F)) continue;
            var node = root;
            foreach (var rune in name.EnumerateRunes())
            {
                if (!node.Children.TryGetValue(rune.Value, out var child)) node.Children[rune.Value] = child = new Node();
                node = child;
            }
            node.IsEnd = true;
        }
        var sb = new StringBuilder("[\"] ");
        sb.Append(Remainder(root));
        return sb.Append(" [\"]").ToString();
    }

    /// <summary>The rest of a key that has read the path to <paramref name="node"/> so far.</summary>
    private static string Remainder(Node node)
    {
        if (node.Children.Count == 0) return node.IsEnd ? $"{KeyChar}+" : $"{KeyChar}*";
        var alts = new List<string>();
        foreach (var (cp, child) in node.Children)
            alts.Add($"{GbnfText.Literal(char.ConvertFromUtf32(cp))} {Remainder(child)}");
        var excluded = string.Concat(node.Children.Keys.Select(GbnfText.ClassChar));
        alts.Add($"[^\"\\\\\\x7F\\x00-\\x1F{excluded}] {KeyChar}*");
        var body = "( " + string.Join(" | ", alts) + " )";
        return node.IsEnd ? body : body + "?";
    }
}
