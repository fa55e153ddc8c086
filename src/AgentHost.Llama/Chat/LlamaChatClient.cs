using System.Runtime.CompilerServices;
using AgentHost.Grammar;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

/// <summary>
/// <see cref="IChatClient"/> over a local <see cref="LlamaEngine"/>. Only the model call lives here; logging,
/// telemetry and function invocation come from MEAI middleware composed around it with ChatClientBuilder.
/// </summary>
public sealed class LlamaChatClient : IChatClient
{
    private readonly LlamaEngine _engine;
    private readonly IChatPromptFormatter _formatter;
    private readonly ChatClientMetadata _metadata;
    private readonly ToolCallFormat _toolFormat;

    public LlamaChatClient(LlamaEngine engine, IChatPromptFormatter formatter)
    {
        _engine = engine;
        _formatter = formatter;
        // A template that cannot render tools gets the generic JSON syntax, described in the system message.
        _toolFormat = formatter.RendersTools ? ToolCallFormat.Detect(formatter.TemplateSource) : ToolCallFormat.GenericJson;
        _metadata = new ChatClientMetadata("agenthost-llama.cpp", new Uri("file://" + engine.Model.Path), engine.ModelId);
    }

    public LlamaEngine Engine => _engine;
    public IChatPromptFormatter Formatter => _formatter;

    /// <summary>The tool-call syntax this model is prompted and constrained to use.</summary>
    public ToolCallFormat ToolFormat => _toolFormat;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GenerateAsync(messages, options, streamTokens: false, cancellationToken).ConfigureAwait(false))
            updates.Add(update);
        return updates.ToChatResponse();
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GenerateAsync(messages, options, streamTokens: true, cancellationToken);

    private async IAsyncEnumerable<ChatResponseUpdate> GenerateAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streamTokens, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var tools = ChatToolSupport.Create(options, _toolFormat);
        var request = BuildRequest(list, options, tools) with { StreamTokens = streamTokens };
        var responseId = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;
        var modelId = _engine.ModelId;
        var parser = tools.ToolsActive ? _toolFormat.CreateStreamingParser() : null;
        var calledTools = false;

        ChatResponseUpdate Update(string? text) => new(ChatRole.Assistant, string.IsNullOrEmpty(text) ? null : text)
        {
            ResponseId = responseId,
            MessageId = responseId,
            CreatedAt = created,
            ModelId = modelId,
        };

        await foreach (var u in _engine.GenerateAsync(request, cancellationToken).ConfigureAwait(false))
        {
            var text = u.Text;
            IReadOnlyList<ParsedToolCall> calls = [];
            if (parser is not null)
            {
                // Text that may be a tool-call opener is held back until the parser knows, so call syntax never leaks.
                var parsed = parser.Push(u.Text);
                text = parsed.TextDelta;
                calls = parsed.ToolCalls;
                if (u.FinishReason is not null)
                {
                    var rest = parser.Complete(cutOff: u.FinishReason == GenerationFinishReason.Length);
                    text += rest.TextDelta;
                    calls = [.. calls, .. rest.ToolCalls];
                }
            }
            var update = Update(text);
            foreach (var call in calls) update.Contents.Add(ChatToolSupport.ToContent(call));
            calledTools |= calls.Count > 0;
            if (u.FinishReason is { } reason)
            {
                update.FinishReason = calledTools ? ChatFinishReason.ToolCalls : reason == GenerationFinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;
                update.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = u.PromptTokens,
                    OutputTokenCount = u.CompletionTokens,
                    TotalTokenCount = u.PromptTokens + u.CompletionTokens,
                    AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["CachedInputTokens"] = u.CachedPromptTokens },
                }));
            }
            else if (update.Contents.Count == 0)
            {
                continue;
            }
            yield return update;
        }
    }

    /// <summary>
    /// How many prompt tokens a request with these messages and options would evaluate: the same rendering
    /// (template, tools, tool instructions) and tokenization as generation, so it equals the usage's input count.
    /// </summary>
    public int CountPromptTokens(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var request = BuildRequest(list, options, ChatToolSupport.Create(options, _toolFormat));
        return _engine.Model.Tokenize(request.Prompt!, request.AddSpecialTokens, request.ParseSpecialTokens).Length;
    }

    /// <summary>Maps MEAI's ChatOptions onto an engine request (sampling, length, stops).</summary>
    internal GenerationRequest BuildRequest(IReadOnlyList<ChatMessage> messages, ChatOptions? options, ChatToolSupport tools)
    {
        if (messages.Count == 0) throw new InvalidGenerationRequestException("messages", "at least one message is required");
        var prompt = _formatter.Format(tools.WithToolInstructions(messages, _formatter.RendersTools), tools.ToolsActive ? tools.Tools : []);
        var defaults = _engine.Options.Defaults;
        var sampling = new SamplerSettings
        {
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? defaults.TopP,
            TopK = options?.TopK ?? defaults.TopK,
            MinP = defaults.MinP,
            RepeatPenalty = defaults.RepeatPenalty,
            FrequencyPenalty = options?.FrequencyPenalty ?? 0,
            PresencePenalty = options?.PresencePenalty ?? 0,
            Seed = options?.Seed is { } seed ? unchecked((uint)seed) : defaults.Seed ?? (uint)Random.Shared.Next(),
        };
        if (options?.ModelId is { Length: > 0 } requested && !string.Equals(requested, _engine.ModelId, StringComparison.Ordinal))
            throw new InvalidGenerationRequestException("ModelId", $"model '{requested}' is not loaded; this client serves '{_engine.ModelId}'");
        return new GenerationRequest
        {
            Prompt = prompt.Text,
            AddSpecialTokens = prompt.AddSpecialTokens,
            ParseSpecialTokens = true,
            MaxTokens = options?.MaxOutputTokens ?? defaults.MaxTokens,
            StopSequences = options?.StopSequences?.ToArray() ?? [],
            Sampling = tools.Apply(sampling),
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return _metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        if (serviceType.IsInstanceOfType(_engine)) return _engine;
        if (serviceType.IsInstanceOfType(_engine.Model)) return _engine.Model;
        if (serviceType.IsInstanceOfType(_formatter)) return _formatter;
        return null;
    }

    public void Dispose()
    {
        // The engine is owned by whoever created it (the host's DI container), not by the client.
    }
}
