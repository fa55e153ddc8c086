using System.Text.Json.Nodes;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Parsing;

/// <summary>The tags the message mapper understands.</summary>
public static class ChatTags
{
    public const string Reasoning = "reasoning";
    public const string Content = "content";
    public const string Tool = "tool";
    public const string ToolOpen = "tool-open";
    public const string ToolClose = "tool-close";
    public const string ToolId = "tool-id";
    public const string ToolName = "tool-name";
    public const string ToolArgs = "tool-args";
    public const string ToolArg = "tool-arg";
    public const string ToolArgOpen = "tool-arg-open";
    public const string ToolArgClose = "tool-arg-close";
    public const string ToolArgName = "tool-arg-name";

    /// <summary>A value written as JSON (or Python) text.</summary>
    public const string ToolArgValue = "tool-arg-value";

    /// <summary>A value the schema declares a string: taken verbatim.</summary>
    public const string ToolArgStringValue = "tool-arg-string-value";
}

/// <summary>PEG builder with the chat tags and the tool-call shapes that several families share.</summary>
public sealed class ChatPegBuilder : PegBuilder
{
    public PegNode Reasoning(PegNode p) => Tag(ChatTags.Reasoning, p);

    public PegNode Content(PegNode p) => Tag(ChatTags.Content, p);

    public PegNode Tool(PegNode p) => Tag(ChatTags.Tool, p);

    public PegNode ToolOpen(PegNode p) => Atomic(Tag(ChatTags.ToolOpen, p));

    public PegNode ToolClose(PegNode p) => Atomic(Tag(ChatTags.ToolClose, p));

    public PegNode ToolId(PegNode p) => Atomic(Tag(ChatTags.ToolId, p));

    public PegNode ToolName(PegNode p) => Atomic(Tag(ChatTags.ToolName, p));

    public PegNode ToolArgs(PegNode p) => Tag(ChatTags.ToolArgs, p);

    public PegNode ToolArg(PegNode p) => Tag(ChatTags.ToolArg, p);

    public PegNode ToolArgOpen(PegNode p) => Atomic(Tag(ChatTags.ToolArgOpen, p));

    public PegNode ToolArgClose(PegNode p) => Atomic(Tag(ChatTags.ToolArgClose, p));

    public PegNode ToolArgName(PegNode p) => Atomic(Tag(ChatTags.ToolArgName, p));

    public PegNode ToolArgJsonValue(PegNode p) => Tag(ChatTags.ToolArgValue, p);

    public PegNode ToolArgStringValue(PegNode p) => Tag(ChatTags.ToolArgStringValue, p);

    /// <summary>Every parser exactly once, in any order (models do not always keep the declared argument order).</summary>
    public PegNode Permute(string rulePrefix, IReadOnlyList<PegNode> parsers)
    {
        if (parsers.Count == 0) return Eps();
        if (parsers.Count == 1) return parsers[0];
        // Beyond a handful, the permutations explode: keep declared order then.
        if (parsers.Count > 6) return Seq([.. parsers]);
        var alternatives = new List<PegNode>();
        foreach (var order in Permutations(parsers.Count)) alternatives.Add(Seq([.. order.Select(i => parsers[i])]));
        return Rule(rulePrefix, Choice([.. alternatives]));
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        yield return (int[])a.Clone();
        while (true)
        {
            var i = n - 2;
            while (i >= 0 && a[i] >= a[i + 1]) i--;
            if (i < 0) yield break;
            var j = n - 1;
            while (a[j] <= a[i]) j--;
            (a[i], a[j]) = (a[j], a[i]);
            Array.Reverse(a, i + 1, n - i - 1);
            yield return (int[])a.Clone();
        }
    }

    /// <summary>
    /// <c>{"name": "f", "arguments": {...}}</c> for each tool (keys as given; <paramref name="idKey"/> adds an optional
    /// id member), arguments constrained by the tool's schema.
    /// </summary>
    public PegNode JsonToolCalls(IReadOnlyList<ToolDefinition> tools, string nameKey = "name", string argsKey = "arguments", string? idKey = null, bool idFirst = false, bool acceptOpenAiWrapper = false)
    {
        var choices = new List<PegNode>();
        foreach (var tool in tools)
        {
            var name = JsonMember(nameKey, Atomic(Seq("\"", ToolName(Literal(tool.Name)), "\"")));
            var args = JsonMember(argsKey, ToolArgs(Schema(Json(), "tool-" + tool.Name + "-schema", tool.Parameters)));
            var parts = new List<PegNode> { name, args };
            PegNode? id = null;
            if (idKey is not null)
                id = Atomic(JsonMember(idKey, Choice(Seq("\"", ToolId(StringContent('"')), "\""), ToolId(JsonNumber()))));
            var body = Seq(ToolOpen(Literal("{")), Space());
            if (acceptOpenAiWrapper) body = Seq(body, Optional(Seq(JsonMember("type", Literal("\"function\"")), Space(), ",", Space())));
            // The id member is optional, and so is the comma that separates it.
            if (id is not null && idFirst) body = Seq(body, Optional(Seq(id, Space(), ",", Space())));
            for (var i = 0; i < parts.Count; i++)
            {
                body = Seq(body, parts[i]);
                if (i < parts.Count - 1) body = Seq(body, Space(), ",", Space());
            }
            if (id is not null && !idFirst) body = Seq(body, Optional(Seq(Space(), ",", Space(), id)));
            body = Seq(body, Space(), ToolClose(Literal("}")));
            choices.Add(Rule("tool-" + tool.Name, Tool(body)));
        }
        return Choice([.. choices]);
    }

    /// <summary>
    /// <c>{"f": {...}}</c>: the function name is the key.
    /// </summary>
    public PegNode JsonToolCallsNameAsKey(IReadOnlyList<ToolDefinition> tools)
    {
        var choices = new List<PegNode>();
        foreach (var tool in tools)
        {
            var body = Seq(ToolOpen(Literal("{")), Space(), Atomic(Seq("\"", ToolName(Literal(tool.Name)), "\"")), Space(), ":", Space(),
                ToolArgs(Schema(Json(), "tool-" + tool.Name + "-schema", tool.Parameters)), Space(), ToolClose(Literal("}")));
            choices.Add(Rule("tool-" + tool.Name, Tool(body)));
        }
        return Choice([.. choices]);
    }

    /// <summary>The arguments object of <paramref name="tool"/>, schema-constrained.</summary>
    public PegNode SchemaArgs(ToolDefinition tool) => ToolArgs(Schema(Json(), "tool-" + tool.Name + "-schema", tool.Parameters));

    /// <summary>A JSON value for a response-format schema.</summary>
    public PegNode ResponseFormat(JsonNode schema) => Content(Schema(Json(), "response-format", schema));

    /// <summary>
    /// The value of one XML-style argument, typed by its schema. A string-only parameter is taken verbatim up to
    /// <paramref name="closer"/>; others are parsed as JSON first and, failing that, as Python literals
    /// (<c>True</c>, <c>['a', 'b']</c>), which templates that print arguments Python-style teach models to write;
    /// a schema that also allows a string falls back to the raw text.
    /// </summary>
    public PegNode TypedArgValue(string ruleName, JsonNode schema, string closer, PegNode close)
    {
        var types = SchemaTypes.Of(schema);
        var rawString = Rule(ruleName + "-string-" + closer.Length, UntilIncluding(Seq(ToolArgStringValue(Until(closer)), close), closer));
        // A constrained string (enum, pattern, lengths) is held to its schema in the grammar, so it validates when read back.
        if (types.IsOnly(SchemaType.String)) return RawString(rawString, ruleName + "-raw", schema, closer[..1], close);
        var json = Choice(ToolArgJsonValue(Json()), ToolArgJsonValue(PythonValue()));
        if (!types.Has(SchemaType.String))
            return Seq(Schema(json, ruleName + "-schema", schema), close);
        // The raw string accepts any text, so the grammar keeps only that; the parser still tries JSON first to type it.
        return GrammarOf(Choice(Atomic(Seq(json, close)), rawString), rawString);
    }
}
