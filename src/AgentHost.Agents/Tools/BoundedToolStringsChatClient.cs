using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tools;

/// <summary>
/// Gives every free-text string parameter of the tools the model sees a <c>maxLength</c> (when it has none, and no
/// enum, pattern or format), so the tool grammar closes each string within reach of the token limit: a random or
/// rambling model still produces a complete, well-formed call (the framework's handoff functions take an unbounded
/// <c>reasonForHandoff</c>). It sits below function invocation, so the invoker keeps the original tools.
/// </summary>
public sealed class BoundedToolStringsChatClient(IChatClient inner, int maxLength) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Bound(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Bound(options), cancellationToken);

    private ChatOptions? Bound(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools) return options;
        var changed = false;
        var bounded = new List<AITool>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration f && JsonNode.Parse(f.JsonSchema.GetRawText()) is JsonObject schema && BoundStrings(schema, maxLength))
            {
                bounded.Add(new Declaration(f, JsonSerializer.SerializeToElement(schema)));
                changed = true;
            }
            else
            {
                bounded.Add(tool);
            }
        }
        if (!changed) return options;
        var copy = options.Clone();
        copy.Tools = bounded;
        return copy;
    }

    /// <summary>Adds maxLength to unconstrained string schemas under <paramref name="node"/>; true when it changed anything.</summary>
    internal static bool BoundStrings(JsonObject node, int maxLength)
    {
        var changed = false;
        if (IsString(node) && !node.ContainsKey("maxLength") && !node.ContainsKey("enum") && !node.ContainsKey("const") && !node.ContainsKey("pattern") && !node.ContainsKey("format"))
        {
            node["maxLength"] = maxLength;
            changed = true;
        }
        if (node["properties"] is JsonObject properties)
            foreach (var (_, value) in properties)
                if (value is JsonObject child) changed |= BoundStrings(child, maxLength);
        if (node["items"] is JsonObject items) changed |= BoundStrings(items, maxLength);
        foreach (var key in new[] { "anyOf", "oneOf" })
            if (node[key] is JsonArray options)
                foreach (var option in options)
                    if (option is JsonObject o) changed |= BoundStrings(o, maxLength);
        return changed;
    }

    private static bool IsString(JsonObject node) => node["type"] switch
    {
        JsonValue v => v.TryGetValue<string>(out var t) && t == "string",
        JsonArray a => a.Any(x => x is JsonValue v && v.TryGetValue<string>(out var t) && t == "string"),
        _ => false,
    };

    /// <summary>The same tool with the bounded schema, as the model sees it.</summary>
    private sealed class Declaration(AIFunctionDeclaration original, JsonElement schema) : AIFunctionDeclaration
    {
        public override string Name => original.Name;
        public override string Description => original.Description;
        public override JsonElement JsonSchema => schema;
        public override JsonElement? ReturnJsonSchema => original.ReturnJsonSchema;
        public override IReadOnlyDictionary<string, object?> AdditionalProperties => original.AdditionalProperties;
    }
}
