using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>
/// A keyword the grammar does not enforce: no GBNF can express it, so the grammar accepts any value the rest of the
/// schema allows at that spot, and the value must be validated against the full schema after generation.
/// </summary>
/// <param name="SchemaPath">JSON pointer of the keyword (e.g. <c>#/tools/paint/parameters/properties/color/not</c>).</param>
/// <param name="Keyword">The keyword left unenforced, e.g. <c>not</c>.</param>
/// <param name="Reason">Why no grammar can express it.</param>
/// <param name="Schema">The schema object holding the keyword (tells two same-path schemas apart, e.g. for logging once).</param>
public sealed record SchemaLoosening(string SchemaPath, string Keyword, string Reason, JsonNode? Schema);
