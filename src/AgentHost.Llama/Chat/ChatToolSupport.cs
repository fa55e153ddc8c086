using System.Text.Json;
using AgentHost.Grammar;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

/// <summary>
/// What a request's tools and response format mean for decoding: the tool list and choice, the grammar the sampler
/// enforces (lazy, triggered by the format's tool-call opener in auto mode; full in required mode; a JSON-schema
/// grammar for structured output), and the parser that turns output back into calls.
/// </summary>
internal sealed class ChatToolSupport
{
    private ChatToolSupport(IReadOnlyList<ToolDefinition> tools, ToolChoice choice, ToolCallFormat format, ToolCallGrammar? toolGrammar, string? jsonGrammar)
    {
        Tools = tools;
        Choice = choice;
        Format = format;
        ToolGrammar = toolGrammar;
        JsonGrammar = jsonGrammar;
    }

    public IReadOnlyList<ToolDefinition> Tools { get; }
    public ToolChoice Choice { get; }
    public ToolCallFormat Format { get; }
    public ToolCallGrammar? ToolGrammar { get; }
    public string? JsonGrammar { get; }

    /// <summary>Tool calls are possible in this request (tools given and mode not none).</summary>
    public bool ToolsActive => ToolGrammar is not null;

    /// <summary>The declared functions and the tool choice of a request.</summary>
    public static (IReadOnlyList<ToolDefinition> Tools, ToolChoice Choice) ToolsOf(ChatOptions? options)
    {
        var tools = (options?.Tools ?? []).OfType<AIFunctionDeclaration>()
            .Select(f => new ToolDefinition(f.Name, f.Description, f.JsonSchema))
            .ToList();
        var duplicate = tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidGenerationRequestException("tools", $"two tools are named '{duplicate.Key}'");
        var choice = options?.ToolMode switch
        {
            NoneChatToolMode => ToolChoice.None,
            RequiredChatToolMode { RequiredFunctionName: { } name } => ToolChoice.Function(name),
            RequiredChatToolMode => ToolChoice.Required,
            _ => ToolChoice.Auto,
        };
        if (choice.Mode == ToolChoiceMode.Function && tools.All(t => t.Name != choice.FunctionName))
            throw new InvalidGenerationRequestException("ToolMode", $"the required function '{choice.FunctionName}' is not among the tools");
        return (tools, choice);
    }

    /// <summary>The JSON schema the answer must follow (ResponseFormat), or null.</summary>
    public static System.Text.Json.Nodes.JsonNode? ResponseSchema(ChatOptions? options) => options?.ResponseFormat switch
    {
        ChatResponseFormatJson { Schema: { } schema } => JsonSchemaGrammar.ToNode(schema),
        ChatResponseFormatJson => new System.Text.Json.Nodes.JsonObject { ["type"] = "object" },
        _ => null,
    };

    public static ChatToolSupport Create(ChatOptions? options, ToolCallFormat format)
    {
        var (tools, choice) = ToolsOf(options);
        var grammar = tools.Count > 0 ? format.Build(tools, choice, new ToolCallGrammarOptions { ParallelToolCalls = options?.AllowMultipleToolCalls ?? true }) : null;
        string? json = null;
        if (grammar is null && options?.ResponseFormat is ChatResponseFormatJson format2)
            json = format2.Schema is { } schema ? JsonSchemaGrammar.FromSchema(schema) : JsonSchemaGrammar.AnyJsonObject();
        return new ChatToolSupport(tools, choice, format, grammar, json);
    }

    /// <summary>The sampler settings with the grammar this request needs.</summary>
    public SamplerSettings Apply(SamplerSettings sampling)
    {
        if (ToolGrammar is { } g)
            return sampling with
            {
                Grammar = g.Grammar,
                GrammarRoot = g.Root,
                GrammarTriggerPatterns = g.Lazy ? g.TriggerPatterns : null,
            };
        if (JsonGrammar is { } j) return sampling with { Grammar = j, GrammarRoot = "root" };
        return sampling;
    }

    /// <summary>
    /// For templates that cannot render tools, the tool instructions go into the system message.
    /// </summary>
    public IReadOnlyList<ChatMessage> WithToolInstructions(IReadOnlyList<ChatMessage> messages, bool templateRendersTools)
    {
        if (!ToolsActive || (templateRendersTools && Format.TemplateRendersTools)) return messages;
        var instructions = Format.BuildSystemPrompt(Tools, Choice) ?? ToolCallFormat.GenericJson.BuildSystemPrompt(Tools, Choice);
        if (instructions is null) return messages;
        var list = messages.ToList();
        if (list.Count > 0 && list[0].Role == ChatRole.System)
            list[0] = new ChatMessage(ChatRole.System, list[0].Text + "\n\n" + instructions);
        else
            list.Insert(0, new ChatMessage(ChatRole.System, instructions));
        return list;
    }

    public static FunctionCallContent ToContent(ParsedToolCall call) => ToContent(call.Id, call.Name, call.ArgumentsJson);

    /// <summary>A call with its arguments parsed; arguments that are not a JSON object are kept as the call's exception.</summary>
    public static FunctionCallContent ToContent(string id, string name, string argumentsJson) =>
        FunctionCallContent.CreateFromParsedArguments(argumentsJson, id, name,
            json => JsonSerializer.Deserialize<Dictionary<string, object?>>(json, AIJsonUtilities.DefaultOptions));
}
