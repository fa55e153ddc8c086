namespace AgentHost.Grammar;

/// <summary>
/// Llama 3.1-3.3: the reply is one <c>{"name": "f", "parameters": {...}}</c> object, optionally after
/// <c>&lt;|python_tag|&gt;</c> (the templates allow a single call per turn). Lazy triggers: the word
/// <c>&lt;|python_tag|&gt;</c>, and a whole-reply pattern for a reply that opens with <c>{"name": "known_tool"</c>.
/// </summary>
internal sealed class Llama3JsonToolCallFormat : ToolCallFormat
{
    internal const string PythonTag = "<|python_tag|>";

    public override ToolCallFormatKind Kind => ToolCallFormatKind.Llama3Json;

    private protected override IReadOnlyList<string> TriggerWords { get; } = [PythonTag];

    private protected override IReadOnlyList<string> TriggerPatterns(IReadOnlyList<ToolDefinition> tools, JsonWhitespace whitespace)
    {
        var ws = TriggerRegex.Space(whitespace);
        var names = string.Join("|", tools.Select(t => TriggerRegex.Escape(System.Text.Json.JsonSerializer.Serialize(t.Name, SchemaConverter.ConstantJson))));
        // Anchored at both ends: matches only when the reply so far starts with the call; the grammar takes over at
        // the capture group, so leading whitespace stays outside it.
        return [TriggerRegex.Escape(PythonTag), $"^\\s*(\\{{{ws}\"name\":{ws}(?:{names}))[\\s\\S]*$"];
    }

    private protected override string BuildRoot(ToolCallGrammarContext context, IReadOnlyList<ToolDefinition> tools, bool parallel, bool allowPlainReply)
    {
        var call = context.AnyCall(tools, "parameters");
        return $"( {GbnfText.Literal(PythonTag)} )? {call}";
    }

    internal override IToolCallDecoder CreateDecoder(Func<string> idFactory) => new MarkerToolCallDecoder(new Llama3CallSyntax(), idFactory);
}
