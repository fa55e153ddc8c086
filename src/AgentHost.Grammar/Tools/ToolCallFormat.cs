namespace AgentHost.Grammar;

/// <summary>
/// One tool-call syntax: detects itself from a chat template, builds the grammar (with lazy triggers) that makes a model
/// write well-formed calls whose arguments follow each function's schema, and parses model output back into calls.
/// </summary>
public abstract class ToolCallFormat
{
    private protected ToolCallFormat()
    {
    }

    /// <summary>Hermes 2 Pro / Qwen 2.5 format.</summary>
    public static ToolCallFormat Hermes { get; } = new HermesToolCallFormat();

    /// <summary>Llama 3.x JSON format.</summary>
    public static ToolCallFormat Llama3Json { get; } = new Llama3JsonToolCallFormat();

    /// <summary>Mistral Nemo format.</summary>
    public static ToolCallFormat MistralNemo { get; } = new MistralNemoToolCallFormat();

    /// <summary>Generic JSON format for templates that cannot render tools.</summary>
    public static ToolCallFormat GenericJson { get; } = new GenericJsonToolCallFormat();

    /// <summary>Which syntax this is.</summary>
    public abstract ToolCallFormatKind Kind { get; }

    /// <summary>Whether the chat template itself renders the tool list (false: send <see cref="BuildSystemPrompt"/>).</summary>
    public virtual bool TemplateRendersTools => true;

    /// <summary>The format instance for <paramref name="kind"/>.</summary>
    public static ToolCallFormat For(ToolCallFormatKind kind) => kind switch
    {
        ToolCallFormatKind.Hermes => Hermes,
        ToolCallFormatKind.Llama3Json => Llama3Json,
        ToolCallFormatKind.MistralNemo => MistralNemo,
        _ => GenericJson,
    };

    /// <summary>
    /// Picks the format from a chat template's Jinja source; templates without a known tool syntax (or none) get
    /// <see cref="GenericJson"/>.
    /// </summary>
    public static ToolCallFormat Detect(string? templateSource)
    {
        if (string.IsNullOrEmpty(templateSource)) return GenericJson;
        bool Has(string s) => templateSource.Contains(s, StringComparison.Ordinal);
        // Newer Mistral templates write "[TOOL_CALLS]name[ARGS]{...}", a different syntax.
        if (Has("[TOOL_CALLS]") && !Has("[ARGS]")) return MistralNemo;
        // Qwen3-Coder style XML calls (<function=...><parameter=...>) also use <tool_call> but are not JSON.
        if (Has("<tool_call>") && !Has("<function=") && !Has("<parameter=")) return Hermes;
        if (Has("<|start_header_id|>") && (Has("\"parameters\": ") || Has("<|python_tag|>")) && !Has("<function=")) return Llama3Json;
        return GenericJson;
    }

    /// <summary>
    /// The grammar for calling <paramref name="tools"/> under <paramref name="choice"/>; null for
    /// <see cref="ToolChoice.None"/> or an empty tool list (generate freely).
    /// </summary>
    public ToolCallGrammar? Build(IReadOnlyList<ToolDefinition> tools, ToolChoice choice, ToolCallGrammarOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(choice);
        options ??= ToolCallGrammarOptions.Default;
        if (choice.Mode == ToolChoiceMode.None || tools.Count == 0) return null;
        var duplicate = tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Two tools are named '{duplicate.Key}'.", nameof(tools));

        var selected = tools;
        var parallel = options.ParallelToolCalls;
        if (choice.Mode == ToolChoiceMode.Function)
        {
            var tool = tools.FirstOrDefault(t => t.Name == choice.FunctionName)
                ?? throw new ArgumentException($"Tool choice names '{choice.FunctionName}', which is not among the tools.", nameof(choice));
            selected = [tool];
            parallel = false;
        }

        var rules = new GbnfRuleSet();
        var context = new ToolCallGrammarContext(rules, options.Schema);
        rules.ReserveNames(["root"]);
        var lazy = choice.Mode == ToolChoiceMode.Auto && SupportsLazyGrammar;
        var body = BuildRoot(context, selected, parallel, allowPlainReply: choice.Mode == ToolChoiceMode.Auto);
        rules.Define("root", body);
        var triggers = lazy ? TriggerPatterns(selected, options.Schema.Whitespace) : [];
        return new ToolCallGrammar(rules.Format("root"), "root", lazy, triggers, lazy ? TriggerWords : []);
    }

    /// <summary>
    /// Prompt text describing the tools and the reply syntax, for formats whose template cannot render tools
    /// (<see cref="TemplateRendersTools"/> false); null otherwise.
    /// </summary>
    public virtual string? BuildSystemPrompt(IReadOnlyList<ToolDefinition> tools, ToolChoice choice) => null;

    /// <summary>Parses a complete model reply into tool calls and the remaining assistant text.</summary>
    public ToolCallParseResult Parse(string output, Func<string>? idFactory = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var parser = CreateStreamingParser(idFactory);
        var first = parser.Push(output);
        var last = parser.Complete();
        return new ToolCallParseResult(first.TextDelta + last.TextDelta, [.. first.ToolCalls, .. last.ToolCalls]);
    }

    /// <summary>A parser for streamed output of this format.</summary>
    public StreamingToolCallParser CreateStreamingParser(Func<string>? idFactory = null) => new(this, idFactory);

    /// <inheritdoc />
    public override string ToString() => Kind.ToString();

    /// <summary>Whether the auto mode can wait for a trigger (false: the grammar covers the whole reply).</summary>
    private protected virtual bool SupportsLazyGrammar => true;

    /// <summary>The literal openers of a tool call.</summary>
    private protected abstract IReadOnlyList<string> TriggerWords { get; }

    /// <summary>The lazy-grammar trigger regexes; by default the escaped trigger words.</summary>
    private protected virtual IReadOnlyList<string> TriggerPatterns(IReadOnlyList<ToolDefinition> tools, JsonWhitespace whitespace) =>
        TriggerWords.Select(TriggerRegex.Escape).ToList();

    /// <summary>Adds the rules for the format and returns the body of the root rule.</summary>
    private protected abstract string BuildRoot(ToolCallGrammarContext context, IReadOnlyList<ToolDefinition> tools, bool parallel, bool allowPlainReply);

    /// <summary>The incremental decoder behind <see cref="StreamingToolCallParser"/>.</summary>
    internal abstract IToolCallDecoder CreateDecoder(Func<string> idFactory);
}
