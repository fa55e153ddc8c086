namespace AgentHost.Grammar;

/// <summary>Shared pieces for building tool-call grammars: the rule set and the call-object rules.</summary>
internal sealed class ToolCallGrammarContext(GbnfRuleSet rules, JsonSchemaGrammarOptions schemaOptions)
{
    public GbnfRuleSet Rules { get; } = rules;

    public JsonSchemaGrammarOptions SchemaOptions { get; } = schemaOptions;

    /// <summary>JSON whitespace between tokens (the <c>space</c> rule).</summary>
    public string Space => JsonPrimitiveRules.Ensure(Rules, "space", SchemaOptions.Whitespace);

    /// <summary>Whitespace framing special markers: up to two spaces/newlines, whatever the JSON whitespace mode.</summary>
    public string FrameSpace => Rules.Add("frame-space", "[ \\n]{0,2}");

    /// <summary>Any JSON string.</summary>
    public string String => JsonPrimitiveRules.Ensure(Rules, "string", SchemaOptions.Whitespace);

    /// <summary>The rule for a tool's arguments object (its parameter schema).</summary>
    public string Arguments(ToolDefinition tool) =>
        JsonSchemaGrammar.AddSchema(Rules, tool.Name + "-args", tool.Parameters, SchemaOptions, $"#/tools/{tool.Name}/parameters");

    /// <summary>
    /// <c>{"name": "tool", "&lt;argumentsKey&gt;": args[, "id": "..."]}</c> for one tool, keys in that order.
    /// </summary>
    public string CallObject(ToolDefinition tool, string argumentsKey, bool withMistralId = false)
    {
        var space = Space;
        var name = SchemaConverter.ConstantLiteral(System.Text.Json.Nodes.JsonValue.Create(tool.Name));
        var body = $"\"{{\" {space} \"\\\"name\\\":\" {space} {name} \",\" {space} \"\\\"{argumentsKey}\\\":\" {space} {Arguments(tool)}";
        if (withMistralId) body += $" \",\" {space} \"\\\"id\\\":\" {space} {Rules.Add("call-id", "[\"] [a-zA-Z0-9]{9} [\"]")}";
        body += $" {space} \"}}\"";
        return Rules.Add(tool.Name + "-call", body);
    }

    /// <summary>The alternatives of <see cref="CallObject"/> over all tools, as one rule.</summary>
    public string AnyCall(IReadOnlyList<ToolDefinition> tools, string argumentsKey, bool withMistralId = false) =>
        Rules.Add("tool-call", string.Join(" | ", tools.Select(t => CallObject(t, argumentsKey, withMistralId))));
}
