namespace AgentHost.Grammar;

/// <summary>
/// The fixed-name building blocks of JSON grammars (string, number, value, ...) and the string formats.
/// Whitespace is only allowed right after <c>{ [ : ,</c> and before <c>} ]</c>, through the bounded <c>space</c> rule.
/// </summary>
internal static class JsonPrimitiveRules
{
    private sealed record Primitive(string Body, params string[] Dependencies);

    /// <summary>The bounded whitespace rule; see <see cref="JsonWhitespace.Bounded"/>.</summary>
    public const string BoundedSpace = """( " " | "\n"{1,2} [ \t]{0,20} )?""";

    private static readonly Dictionary<string, Primitive> Rules = new(StringComparer.Ordinal)
    {
        ["char"] = new("""[^"\\\x7F\x00-\x1F] | [\\] ( ["\\/bfnrt] | "u" [0-9a-fA-F]{4} )"""),
        ["string"] = new("""["] char* ["]""", "char"),
        ["boolean"] = new(""" "true" | "false" """.Trim()),
        ["null"] = new(""" "null" """.Trim()),
        ["integral-part"] = new("""[0] | [1-9] [0-9]{0,15}"""),
        ["decimal-part"] = new("""[0-9]{1,16}"""),
        ["integer"] = new(""" "-"? integral-part """.Trim(), "integral-part"),
        ["number"] = new(""" "-"? integral-part ( "." decimal-part )? ( [eE] [-+]? integral-part )? """.Trim(), "integral-part", "decimal-part"),
        ["value"] = new("""object | array | string | number | boolean | null""", "object", "array", "string", "number", "boolean", "null"),
        ["object"] = new(""" "{" space ( string ":" space value ( "," space string ":" space value )* )? space "}" """.Trim(), "space", "string", "value"),
        ["array"] = new(""" "[" space ( value ( "," space value )* )? space "]" """.Trim(), "space", "value"),
        // Exact calendar dates: month lengths, and 29 February only in leap years.
        ["date"] = new("""date-year "-" ( ( "0" [13578] | "1" [02] ) "-" ( "0" [1-9] | [12] [0-9] | "3" [01] ) | ( "0" [469] | "11" ) "-" ( "0" [1-9] | [12] [0-9] | "30" ) | "02-" ( "0" [1-9] | "1" [0-9] | "2" [0-8] ) ) | leap-year "-02-29" """.TrimEnd(), "date-year", "leap-year"),
        // Years 0001-9999: year 0 is valid RFC 3339 but not a .NET DateTime.
        ["date-year"] = new("""[1-9] [0-9]{3} | "0" ( [1-9] [0-9]{2} | "0" ( [1-9] [0-9] | "0" [1-9] ) )"""),
        ["leap-year"] = new("""[0-9]{2} ( [02468] [48] | [2468] [0] | [13579] [26] ) | ( [02468] [48] | [2468] [0] | [13579] [26] ) "00" """.TrimEnd()),
        // Offset optional: .NET TimeOnly (format "time") round-trips without one.
        ["time"] = new("""( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] ":" [0-5] [0-9] ( "." [0-9]{1,7} )? time-offset?""", "time-offset"),
        ["time-offset"] = new(""" "Z" | [+\-] ( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] """.Trim()),
        ["date-time"] = new("""date "T" ( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] ":" [0-5] [0-9] ( "." [0-9]{1,7} )? time-offset""", "date", "time-offset"),
        ["date-string"] = new("""["] date ["]""", "date"),
        ["time-string"] = new("""["] time ["]""", "time"),
        ["date-time-string"] = new("""["] date-time ["]""", "date-time"),
        ["uuid-string"] = new("""["] [0-9a-fA-F]{8} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{12} ["]"""),
        // A practical subset of addresses: dot-separated local atoms, hostname labels that neither start nor end with '-'.
        ["email-label"] = new("""[a-zA-Z0-9] ( [a-zA-Z0-9\-]{0,61} [a-zA-Z0-9] )?"""),
        ["email-atom"] = new("""[a-zA-Z0-9_%+\-]{1,32}"""),
        ["email-string"] = new("""["] email-atom ( "." email-atom ){0,3} "@" email-label ( "." email-label ){0,8} "." [a-zA-Z]{2,24} ["]""", "email-atom", "email-label"),
        ["uri-string"] = new("""["] [a-zA-Z] [a-zA-Z0-9+.\-]{0,31} ":" [^"\\\x00-\x20\x7F]+ ["]"""),
        ["ipv4-octet"] = new("""[0-9] | [1-9] [0-9] | "1" [0-9] [0-9] | "2" [0-4] [0-9] | "25" [0-5]"""),
        ["ipv4-string"] = new("""["] ipv4-octet "." ipv4-octet "." ipv4-octet "." ipv4-octet ["]""", "ipv4-octet"),
    };

    /// <summary>Every fixed name, reserved in each rule set so generated names never collide with them.</summary>
    public static IEnumerable<string> Names => Rules.Keys.Append("space");

    /// <summary>String formats with a grammar, mapped to their rule name.</summary>
    public static readonly IReadOnlyDictionary<string, string> StringFormats = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["date"] = "date-string",
        ["time"] = "time-string",
        ["date-time"] = "date-time-string",
        ["uuid"] = "uuid-string",
        ["email"] = "email-string",
        ["uri"] = "uri-string",
        ["ipv4"] = "ipv4-string",
    };

    /// <summary>Defines <paramref name="name"/> and its dependencies in <paramref name="rules"/>; returns the name.</summary>
    public static string Ensure(GbnfRuleSet rules, string name, JsonWhitespace whitespace)
    {
        if (rules[name] is not null) return name;
        if (name == "space")
        {
            // An empty literal keeps the rule well-formed while matching nothing.
            rules.Define("space", whitespace == JsonWhitespace.Compact ? "\"\"" : BoundedSpace);
            return name;
        }
        var primitive = Rules[name];
        rules.Define(name, primitive.Body);
        foreach (var dep in primitive.Dependencies) Ensure(rules, dep, whitespace);
        return name;
    }
}
