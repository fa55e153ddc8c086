using System.Text;
using System.Text.Json;

namespace AgentHost.Grammar;

/// <summary>
/// For templates that cannot render tools: the tools and the reply syntax are described in a system message, and the
/// whole reply is JSON, either <c>{"tool_calls": [{"name": "f", "arguments": {...}}]}</c> or <c>{"response": "text"}</c>.
/// The grammar is never lazy: in auto mode it allows both shapes, in required mode only tool calls.
/// </summary>
internal sealed class GenericJsonToolCallFormat : ToolCallFormat
{
    private static readonly JsonSerializerOptions PromptJson = new(SchemaConverter.ConstantJson);

    public override ToolCallFormatKind Kind => ToolCallFormatKind.GenericJson;

    public override bool TemplateRendersTools => false;

    private protected override bool SupportsLazyGrammar => false;

    private protected override IReadOnlyList<string> TriggerWords { get; } = [];

    private protected override string BuildRoot(ToolCallGrammarContext context, IReadOnlyList<ToolDefinition> tools, bool parallel, bool allowPlainReply)
    {
        var space = context.Space;
        var call = context.AnyCall(tools, "arguments");
        var calls = parallel ? $"{call} ( \",\" {space} {call} )*" : call;
        var toolCalls = context.Rules.Add("tool-calls", $"\"{{\" {space} \"\\\"tool_calls\\\":\" {space} \"[\" {space} {calls} {space} \"]\" {space} \"}}\"");
        if (!allowPlainReply) return toolCalls;
        var response = context.Rules.Add("response", $"\"{{\" {space} \"\\\"response\\\":\" {space} {context.String} {space} \"}}\"");
        return $"{toolCalls} | {response}";
    }

    public override string? BuildSystemPrompt(IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(choice);
        if (choice.Mode == ToolChoiceMode.None || tools.Count == 0) return null;
        var selected = choice.Mode == ToolChoiceMode.Function ? tools.Where(t => t.Name == choice.FunctionName).ToList() : tools;
        var sb = new StringBuilder();
        sb.AppendLine("You can call the following tools. Each tool's arguments are described by a JSON Schema.");
        sb.AppendLine();
        foreach (var tool in selected)
        {
            sb.Append("- ").Append(tool.Name);
            if (!string.IsNullOrWhiteSpace(tool.Description)) sb.Append(": ").Append(tool.Description.Trim());
            sb.AppendLine();
            sb.Append("  arguments schema: ").AppendLine(tool.Parameters.ToJsonString(PromptJson));
        }
        sb.AppendLine();
        sb.AppendLine("Reply with a single JSON object and nothing else.");
        sb.AppendLine("To call tools, reply with:");
        sb.AppendLine("""{"tool_calls": [{"name": "<tool name>", "arguments": {<arguments matching the tool's schema>}}]}""");
        switch (choice.Mode)
        {
            case ToolChoiceMode.Auto:
                sb.AppendLine("To answer without calling a tool, reply with:");
                sb.AppendLine("""{"response": "<your answer>"}""");
                break;
            case ToolChoiceMode.Required:
                sb.AppendLine("You must call at least one tool.");
                break;
            case ToolChoiceMode.Function:
                sb.Append("You must call the tool ").Append(choice.FunctionName).AppendLine(".");
                break;
        }
        return sb.ToString().TrimEnd();
    }

    internal override IToolCallDecoder CreateDecoder(Func<string> idFactory) => new GenericJsonDecoder(idFactory);
}
