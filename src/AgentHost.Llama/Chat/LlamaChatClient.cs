using System.Runtime.CompilerServices;
using AgentHost.ChatFormats;
using AgentHost.ChatFormats.Parsing;
using AgentHost.Grammar;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

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
    private readonly ChatFormat? _family;

    public LlamaChatClient(LlamaEngine engine, IChatPromptFormatter formatter, ILogger? logger = null)
    {
        _engine = engine;
        _formatter = formatter;
        // The model family's own syntax when its template is known; otherwise the generic JSON syntax, described in
        // the system message.
        _family = formatter.RendersTools ? ChatFormats.ChatFormats.Detect(formatter.TemplateSource, logger) : null;
        // A family with no call syntax of its own (plain chat templates) cannot call tools: the generic syntax can.
        if (_family is not null && !_family.Capabilities(formatter.TemplateSource!).Tools)
        {
            logger?.LogInformation("The {Family} chat format has no tool-call syntax; tool calls use the generic JSON fallback", _family.Name);
            _family = null;
        }
        _toolFormat = _family is null && formatter.RendersTools ? ToolCallFormat.Detect(formatter.TemplateSource) : ToolCallFormat.GenericJson;
        if (_family is not null) logger?.LogInformation("Chat format: {Family} (tool calls open with {Opener})", _family.Name, _family.ToolCallOpener);
        _metadata = new ChatClientMetadata("agenthost-llama.cpp", new Uri("file://" + engine.Model.Path), engine.ModelId);
    }

    public LlamaEngine Engine => _engine;
    public IChatPromptFormatter Formatter => _formatter;

    /// <summary>The generic tool-call syntax used when no chat-format family matches the template.</summary>
    public ToolCallFormat ToolFormat => _toolFormat;

    /// <summary>The model family's chat format (its own tool-call and thinking syntax), or null for the generic fallback.</summary>
    public ChatFormat? ChatFormat => _family;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GenerateAsync(messages, options, streamTokens: false, cancellationToken).ConfigureAwait(false))
            updates.Add(update);
        return updates.ToChatResponseWithProperties();
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GenerateAsync(messages, options, streamTokens: true, cancellationToken);

    private async IAsyncEnumerable<ChatResponseUpdate> GenerateAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streamTokens, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = WithInstructions(messages as IReadOnlyList<ChatMessage> ?? messages.ToList(), options);
        var responseId = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;
        var modelId = _engine.ModelId;
        ChatResponseUpdate Update() => new(ChatRole.Assistant, (string?)null)
        {
            ResponseId = responseId,
            MessageId = responseId,
            CreatedAt = created,
            ModelId = modelId,
        };
        IReplyReader output = _family is not null ? FamilyOutput.Create(this, list, options) : GenericOutput.Create(this, list, options);
        var request = output.Request with { StreamTokens = streamTokens };
        var calledTools = false;
        List<TokenLogprob>? logprobs = null;
        await foreach (var u in _engine.GenerateAsync(request, cancellationToken).ConfigureAwait(false))
        {
            var update = Update();
            output.Add(update, u.Text);
            // Probabilities of tokens whose text is held back (a possible stop or tool-call opener) travel with the next update that is sent.
            if (u.Logprobs is { Count: > 0 } lp) (logprobs ??= []).AddRange(lp);
            if (u.FinishReason is { } reason)
            {
                output.Finish(update, cutOff: reason == GenerationFinishReason.Length);
                calledTools |= update.Contents.OfType<FunctionCallContent>().Any();
                update.FinishReason = calledTools ? ChatFinishReason.ToolCalls : reason == GenerationFinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;
                update.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = u.PromptTokens,
                    OutputTokenCount = u.CompletionTokens,
                    TotalTokenCount = u.PromptTokens + u.CompletionTokens,
                    AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["CachedInputTokens"] = u.CachedPromptTokens },
                }));
                if (u.Timings is not null) (update.AdditionalProperties ??= [])[LlamaChatProperties.Timings] = u.Timings;
            }
            else if (update.Contents.Count == 0)
            {
                continue;
            }
            calledTools |= update.Contents.OfType<FunctionCallContent>().Any();
            if (logprobs is not null)
            {
                (update.AdditionalProperties ??= [])[LlamaChatProperties.Logprobs] = logprobs;
                logprobs = null;
            }
            yield return update;
        }
    }

    /// <summary>Turns generated text into update contents as it streams.</summary>
    private interface IReplyReader
    {
        GenerationRequest Request { get; }

        void Add(ChatResponseUpdate update, string text);

        void Finish(ChatResponseUpdate update, bool cutOff);
    }

    /// <summary>Reads a reply in the model family's own syntax: content, reasoning and tool calls.</summary>
    private sealed class FamilyOutput(GenerationRequest request, StreamingChatParser parser) : IReplyReader
    {
        public GenerationRequest Request { get; } = request;

        public static FamilyOutput Create(LlamaChatClient client, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
        {
            if (messages.Count == 0) throw new InvalidGenerationRequestException("messages", "at least one message is required");
            var reasoning = ChatReasoning.From(options, client._engine.Options.Reasoning);
            var (tools, choice) = ChatToolSupport.ToolsOf(options);
            var active = tools.Count > 0 && choice.Mode != ToolChoiceMode.None;
            var prompt = client._formatter.Format(messages, active ? tools : [], reasoning.TemplateKwargs);
            var inputs = new ChatFormatInputs
            {
                Tools = active ? tools : [],
                ToolChoice = choice,
                ParallelToolCalls = (options?.AllowMultipleToolCalls ?? true) && choice.Mode != ToolChoiceMode.Function,
                EnableThinking = reasoning.EnableThinking,
                ReasoningFormat = reasoning.Format,
                ResponseSchema = ChatToolSupport.ResponseSchema(options),
                GenerationPrompt = prompt.GenerationPrompt,
            };
            var plan = client._family!.Build(client._formatter.TemplateSource!, inputs);
            var sampling = client.Sampling(options);
            if (plan.Grammar is { } grammar)
            {
                sampling = sampling with
                {
                    Grammar = grammar,
                    GrammarRoot = "root",
                    GrammarTriggerPatterns = plan.GrammarLazy ? plan.AllTriggerPatterns : null,
                    // A grammar over the whole reply starts where the template's generation prompt ends.
                    GrammarPrefill = plan.GrammarLazy ? null : prompt.GenerationPrompt,
                };
            }
            var request = client.Request(prompt, options, sampling);
            if (reasoning.EnableThinking && reasoning.BudgetTokens >= 0 && plan.ThinkingStartTag is { Length: > 0 } startTag && plan.ThinkingEndTags is { Count: > 0 } endTags)
            {
                // Templates that open thinking in the generation prompt (<think> already written) start counting at once.
                var opened = prompt.GenerationPrompt is { } g && g.LastIndexOf(startTag.Trim(), StringComparison.Ordinal) is var at && at >= 0
                    && !endTags.Any(t => g.IndexOf(t.Trim(), at, StringComparison.Ordinal) >= 0);
                request = request with { ReasoningBudget = new ReasoningBudget { Tokens = reasoning.BudgetTokens, StartTag = startTag.Trim(), EndTags = [.. endTags.Select(t => t.Trim())], StartsInside = opened } };
            }
            return new FamilyOutput(request, new StreamingChatParser(plan));
        }

        public void Add(ChatResponseUpdate update, string text) => Append(update, parser.Push(text));

        public void Finish(ChatResponseUpdate update, bool cutOff) => Append(update, parser.Complete(cutOff));

        private static void Append(ChatResponseUpdate update, ChatParseDelta delta)
        {
            if (delta.Reasoning.Length > 0) update.Contents.Add(new TextReasoningContent(delta.Reasoning));
            if (delta.Content.Length > 0) update.Contents.Add(new TextContent(delta.Content));
            foreach (var call in delta.ToolCalls) update.Contents.Add(ChatToolSupport.ToContent(call.Id, call.Name, call.Arguments));
        }
    }

    /// <summary>Templates no family matches: the generic JSON tool syntax described in the system message.</summary>
    private sealed class GenericOutput(GenerationRequest request, StreamingToolCallParser? parser) : IReplyReader
    {
        public GenerationRequest Request { get; } = request;

        public static GenericOutput Create(LlamaChatClient client, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
        {
            var tools = ChatToolSupport.Create(options, client._toolFormat);
            return new GenericOutput(client.BuildRequest(messages, options, tools), tools.ToolsActive ? client._toolFormat.CreateStreamingParser() : null);
        }

        public void Add(ChatResponseUpdate update, string text)
        {
            if (parser is null)
            {
                if (text.Length > 0) update.Contents.Add(new TextContent(text));
                return;
            }
            Append(update, parser.Push(text));
        }

        public void Finish(ChatResponseUpdate update, bool cutOff)
        {
            if (parser is not null) Append(update, parser.Complete(cutOff));
        }

        private static void Append(ChatResponseUpdate update, StreamingToolCallUpdate parsed)
        {
            // Text that may be a tool-call opener is held back until the parser knows, so call syntax never leaks.
            if (parsed.TextDelta.Length > 0) update.Contents.Add(new TextContent(parsed.TextDelta));
            foreach (var call in parsed.ToolCalls) update.Contents.Add(ChatToolSupport.ToContent(call));
        }
    }

    /// <summary>The prompt this client would generate from for the conversation: the template's rendering, tool instructions included.</summary>
    public ChatPrompt RenderPrompt(IReadOnlyList<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_family is not null)
        {
            var (tools, choice) = ChatToolSupport.ToolsOf(options);
            var reasoning = ChatReasoning.From(options, _engine.Options.Reasoning);
            return _formatter.Format(messages, tools.Count > 0 && choice.Mode != ToolChoiceMode.None ? tools : [], reasoning.TemplateKwargs);
        }
        var generic = ChatToolSupport.Create(options, _toolFormat);
        return _formatter.Format(generic.WithToolInstructions(messages, _formatter.RendersTools), generic.ToolsActive ? generic.Tools : []);
    }

    /// <summary>
    /// ChatOptions.Instructions (how the Agent Framework passes an agent's instructions, and the Responses API its
    /// <c>instructions</c>) as the system message the template renders: merged into a leading system message, since
    /// many templates accept only one, else put first.
    /// </summary>
    public static IReadOnlyList<ChatMessage> WithInstructions(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        if (string.IsNullOrWhiteSpace(options?.Instructions)) return messages;
        var list = new List<ChatMessage>(messages.Count + 1);
        if (messages.Count > 0 && messages[0].Role == ChatRole.System)
        {
            list.Add(new ChatMessage(ChatRole.System, options.Instructions + "\n\n" + messages[0].Text));
            list.AddRange(messages.Skip(1));
        }
        else
        {
            list.Add(new ChatMessage(ChatRole.System, options.Instructions));
            list.AddRange(messages);
        }
        return list;
    }

    private static int? RequestedTopLogprobs(ChatOptions? options)
    {
        var properties = options?.AdditionalProperties;
        if (properties is null) return null;
        if (properties.TryGetValue(LlamaChatProperties.TopLogprobs, out var top) && top is not null)
            return top is int n ? n : throw new InvalidGenerationRequestException("top_logprobs", $"must be an int, was {top.GetType().Name}");
        return properties.TryGetValue(LlamaChatProperties.Logprobs, out var on) && on is true ? 0 : null;
    }

    /// <summary>
    /// How many prompt tokens a request with these messages and options would evaluate: the same rendering
    /// (template, tools, tool instructions, reasoning switches) and tokenization as generation, so it equals the usage's input count.
    /// </summary>
    public int CountPromptTokens(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        var list = WithInstructions(messages as IReadOnlyList<ChatMessage> ?? messages.ToList(), options);
        IReplyReader reader = _family is not null ? FamilyOutput.Create(this, list, options) : GenericOutput.Create(this, list, options);
        var request = reader.Request;
        return _engine.Model.Tokenize(request.Prompt!, request.AddSpecialTokens, request.ParseSpecialTokens).Length;
    }

    /// <summary>Maps MEAI's ChatOptions onto an engine request (sampling, length, stops), generic tool syntax.</summary>
    internal GenerationRequest BuildRequest(IReadOnlyList<ChatMessage> messages, ChatOptions? options, ChatToolSupport tools)
    {
        if (messages.Count == 0) throw new InvalidGenerationRequestException("messages", "at least one message is required");
        var prompt = _formatter.Format(tools.WithToolInstructions(messages, _formatter.RendersTools), tools.ToolsActive ? tools.Tools : []);
        return Request(prompt, options, tools.Apply(Sampling(options)));
    }

    private SamplerSettings Sampling(ChatOptions? options)
    {
        var defaults = _engine.Options.Defaults;
        return new SamplerSettings
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
    }

    private GenerationRequest Request(ChatPrompt prompt, ChatOptions? options, SamplerSettings sampling)
    {
        if (options?.ModelId is { Length: > 0 } requested && !string.Equals(requested, _engine.ModelId, StringComparison.Ordinal))
            throw new InvalidGenerationRequestException("ModelId", $"model '{requested}' is not loaded; this client serves '{_engine.ModelId}'");
        return new GenerationRequest
        {
            Prompt = prompt.Text,
            AddSpecialTokens = prompt.AddSpecialTokens,
            ParseSpecialTokens = true,
            MaxTokens = options?.MaxOutputTokens ?? _engine.Options.Defaults.MaxTokens,
            StopSequences = options?.StopSequences?.ToArray() ?? [],
            Sampling = sampling,
            TopLogprobs = RequestedTopLogprobs(options),
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
