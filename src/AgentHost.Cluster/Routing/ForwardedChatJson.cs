using System.Text.Json;
using AgentHost.Cluster.Grains;
using AgentHost.Grammar;
using AgentHost.Jinja;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using Microsoft.Extensions.AI;

namespace AgentHost.Cluster.Routing;

/// <summary>
/// MEAI's chat types across nodes: messages, options and updates go as JSON in AIJsonUtilities' shapes (the
/// polymorphic contents with their "$type"); what JSON cannot carry as such is rebuilt on the other side: tools as
/// declarations, the engine's log-probabilities and timings as their types, additional properties as the plain values
/// LlamaChatClient reads (an int stays an int), and the engine's exceptions as the same exceptions.
/// </summary>
public static class ForwardedChatJson
{
    private static JsonSerializerOptions Json => AIJsonUtilities.DefaultOptions;

    public static ForwardedChatRequest ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        string? optionsJson = null;
        var tools = new List<ForwardedTool>();
        if (options is not null)
        {
            var copy = options.Clone();
            copy.Tools = null;
            copy.AdditionalProperties = null;
            // A factory of the caller's own SDK objects means nothing on another node.
            copy.RawRepresentationFactory = null;
            optionsJson = JsonSerializer.Serialize(copy, Json);
            foreach (var tool in options.Tools ?? [])
            {
                // LlamaChatClient uses function declarations only; other tools (hosted ones) it leaves alone, and so does this.
                if (tool is AIFunctionDeclaration f)
                    tools.Add(new ForwardedTool(f.Name, f.Description, f.JsonSchema.GetRawText(), f.ReturnJsonSchema?.GetRawText()));
            }
        }
        return new ForwardedChatRequest
        {
            MessagesJson = JsonSerializer.Serialize(messages as IList<ChatMessage> ?? messages.ToList(), Json),
            OptionsJson = optionsJson,
            PropertiesJson = options?.AdditionalProperties is { Count: > 0 } p ? JsonSerializer.Serialize(p, Json) : null,
            Tools = tools,
            Stream = stream,
        };
    }

    public static List<ChatMessage> ReadMessages(ForwardedChatRequest request) =>
        JsonSerializer.Deserialize<List<ChatMessage>>(request.MessagesJson, Json) ?? [];

    public static ChatOptions? ReadOptions(ForwardedChatRequest request)
    {
        if (request.OptionsJson is null) return null;
        var options = JsonSerializer.Deserialize<ChatOptions>(request.OptionsJson, Json) ?? new ChatOptions();
        if (request.Tools.Count > 0)
            options.Tools = [.. request.Tools.Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, Parse(t.JsonSchema),
                t.ReturnJsonSchema is null ? null : Parse(t.ReturnJsonSchema)))];
        options.AdditionalProperties = ReadProperties(request.PropertiesJson);
        return options;
    }

    public static ForwardedChatUpdate ToUpdate(ChatResponseUpdate update, string node, SiloAddress silo)
    {
        var properties = update.AdditionalProperties;
        update.AdditionalProperties = null;
        var json = JsonSerializer.Serialize(update, Json);
        update.AdditionalProperties = properties;
        return new ForwardedChatUpdate
        {
            UpdateJson = json,
            PropertiesJson = properties is { Count: > 0 } ? JsonSerializer.Serialize(properties, Json) : null,
            Node = node,
            Silo = silo,
        };
    }

    /// <summary>The update, with <see cref="NodeProperty"/> naming the node that answered.</summary>
    public static ChatResponseUpdate ReadUpdate(ForwardedChatUpdate forwarded)
    {
        var update = JsonSerializer.Deserialize<ChatResponseUpdate>(forwarded.UpdateJson ?? "{}", Json) ?? new ChatResponseUpdate();
        update.AdditionalProperties = ReadProperties(forwarded.PropertiesJson);
        (update.AdditionalProperties ??= [])[NodeProperty] = forwarded.Node;
        return update;
    }

    /// <summary>Key of the answering node's name in a forwarded update's AdditionalProperties.</summary>
    public const string NodeProperty = "agenthost.node";

    private static AdditionalPropertiesDictionary? ReadProperties(string? json)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        var properties = new AdditionalPropertiesDictionary();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            properties[p.Name] = p.Name switch
            {
                LlamaChatProperties.Logprobs when p.Value.ValueKind == JsonValueKind.Array => p.Value.Deserialize<List<TokenLogprob>>(Json),
                LlamaChatProperties.Timings when p.Value.ValueKind == JsonValueKind.Object => p.Value.Deserialize<GenerationTimings>(Json),
                _ => Plain(p.Value),
            };
        }
        return properties;
    }

    /// <summary>The value as the caller put it: LlamaChatClient reads an int or a bool, not a JsonElement holding one.</summary>
    private static object? Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt32(out var i) => i,
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        _ => value.Clone(),
    };

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>What the answering node tells of a failure: the request's faults with what names them, anything else as the node's own.</summary>
    public static ForwardedChatError ToError(Exception exception) => exception switch
    {
        ContextOverflowException e => new() { Kind = ForwardedErrorKind.ContextOverflow, Message = e.Message, PromptTokens = e.PromptTokens, ContextSize = e.ContextSize },
        EngineBusyException e => new() { Kind = ForwardedErrorKind.EngineBusy, Message = e.Message, QueueLimit = e.QueueLimit },
        InvalidGenerationRequestException e => new() { Kind = ForwardedErrorKind.InvalidRequest, Message = e.Message, Parameter = e.Parameter },
        GrammarException or JsonSchemaException => new() { Kind = ForwardedErrorKind.Grammar, Message = exception.Message },
        ChatTemplateException => new() { Kind = ForwardedErrorKind.ChatTemplate, Message = exception.Message },
        ChatConversationException or TemplateException => new() { Kind = ForwardedErrorKind.ChatConversation, Message = exception.Message },
        _ => new() { Kind = ForwardedErrorKind.Internal, Message = $"{exception.GetType().Name}: {exception.Message}" },
    };

    /// <summary>The exception the caller would have seen from its own engine (so HTTP errors are the same on every node).</summary>
    public static Exception ToException(ForwardedChatError error, string node) => error.Kind switch
    {
        ForwardedErrorKind.ContextOverflow => new ContextOverflowException(error.PromptTokens, error.ContextSize),
        ForwardedErrorKind.EngineBusy => new EngineBusyException(error.QueueLimit),
        ForwardedErrorKind.InvalidRequest => new InvalidGenerationRequestException(error.Parameter ?? "request",
            error.Parameter is { } p && error.Message.StartsWith(p + ": ", StringComparison.Ordinal) ? error.Message[(p.Length + 2)..] : error.Message),
        ForwardedErrorKind.Grammar => new GrammarException(error.Message),
        ForwardedErrorKind.ChatTemplate => new ChatTemplateException(error.Message),
        ForwardedErrorKind.ChatConversation => new ChatConversationException(error.Message),
        _ => new ClusterNodeException($"The request failed on node {node}: {error.Message}"),
    };

    /// <summary>
    /// The messages as role and text for <see cref="PromptPrefixHasher"/>: text, calls (name and arguments) and
    /// results, in order, so a client that sends the history back gets the same leading blocks. Reasoning is left
    /// out: clients seldom send it back, and templates drop it from earlier turns.
    /// </summary>
    public static List<ConversationMessage> ForPrefix(IEnumerable<ChatMessage> messages)
    {
        var list = new List<ConversationMessage>();
        foreach (var m in messages)
        {
            var text = new System.Text.StringBuilder();
            foreach (var c in m.Contents)
            {
                switch (c)
                {
                    case TextContent t: text.Append(t.Text); break;
                    case FunctionCallContent f: text.Append("<call>").Append(f.Name).Append(JsonSerializer.Serialize(f.Arguments, Json)).Append("</call>"); break;
                    case FunctionResultContent r: text.Append("<result>").Append(r.Result is null ? "" : JsonSerializer.Serialize(r.Result, Json)).Append("</result>"); break;
                }
            }
            list.Add(new ConversationMessage(m.Role.Value, text.ToString()));
        }
        return list;
    }
}
