namespace AgentHost.Cluster.Grains;

/// <summary>
/// A chat request sent to another node: MEAI's messages and options as JSON (AIJsonUtilities' shapes), the tools as
/// declarations (the tools themselves run where the request came from). Built and read by <see cref="Routing.ForwardedChatJson"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ForwardedChatRequest
{
    [Id(0)] public string MessagesJson { get; init; } = "[]";
    /// <summary>ChatOptions without its tools and additional properties; null when the request had no options.</summary>
    [Id(1)] public string? OptionsJson { get; init; }
    /// <summary>ChatOptions.AdditionalProperties as a JSON object.</summary>
    [Id(2)] public string? PropertiesJson { get; init; }
    [Id(3)] public IReadOnlyList<ForwardedTool> Tools { get; init; } = [];
    /// <summary>False: the node answers as a whole (GetResponseAsync), as the caller asked.</summary>
    [Id(4)] public bool Stream { get; init; } = true;
}

/// <summary>A function the model may call: name, description and the JSON schema of its parameters.</summary>
[GenerateSerializer, Immutable]
public sealed record ForwardedTool(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string JsonSchema,
    [property: Id(3)] string? ReturnJsonSchema);

/// <summary>A piece of the answer: one ChatResponseUpdate as JSON, or the error that ended the request on the node.</summary>
[GenerateSerializer, Immutable]
public sealed record ForwardedChatUpdate
{
    /// <summary>The update without its additional properties.</summary>
    [Id(0)] public string? UpdateJson { get; init; }
    /// <summary>The update's AdditionalProperties as a JSON object (log-probabilities, timings).</summary>
    [Id(1)] public string? PropertiesJson { get; init; }
    /// <summary>The node that answered.</summary>
    [Id(2)] public string Node { get; init; } = "";
    [Id(3)] public ForwardedChatError? Error { get; init; }
    [Id(4)] public SiloAddress? Silo { get; init; }
}

/// <summary>What went wrong on the answering node, with what the caller needs to rebuild the same exception.</summary>
[GenerateSerializer, Immutable]
public sealed record ForwardedChatError
{
    [Id(0)] public ForwardedErrorKind Kind { get; init; }
    [Id(1)] public string Message { get; init; } = "";
    [Id(2)] public string? Parameter { get; init; }
    [Id(3)] public int PromptTokens { get; init; }
    [Id(4)] public int ContextSize { get; init; }
    [Id(5)] public int QueueLimit { get; init; }
}

[GenerateSerializer]
public enum ForwardedErrorKind
{
    /// <summary>Anything else: a failure of the node, not of the request.</summary>
    Internal,
    ContextOverflow,
    EngineBusy,
    InvalidRequest,
    Grammar,
    ChatTemplate,
    ChatConversation,
}

/// <summary>A request failed on another node in a way that is not the request's fault; the message names the node.</summary>
public sealed class ClusterNodeException(string message) : Exception(message);
