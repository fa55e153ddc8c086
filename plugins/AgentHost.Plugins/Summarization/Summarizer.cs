using System.Globalization;
using System.Text;
using AgentHost.Plugins.Structured;
using AgentHost.Plugins.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Summarization;

/// <summary>
/// Summaries, key points and action items over the Summarization prompt functions. A text that fits the context
/// window goes to the model in one request; a longer one is map-reduced: split by token budget at paragraph and
/// sentence boundaries, each chunk summarized (concurrently), then the partial summaries, numbered in document order,
/// combined — in several rounds when even they do not fit — into the requested style and word limit.
/// </summary>
public sealed class Summarizer(PromptLibrary prompts, ITokenCounter tokens, IOptions<AgentHostPluginOptions> options, ILogger<Summarizer>? logger = null)
{
    public const string PluginName = "Summarization";
    private const int TemplateMargin = 48;

    private readonly AgentHostPluginOptions _options = options.Value;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public async Task<SummaryResult> SummarizeAsync(Kernel kernel, string text, SummaryStyle style = SummaryStyle.Paragraph, int maxWords = 120, CancellationToken cancellationToken = default)
    {
        Require.Text(text, "text", _options.MaxInputCharacters);
        Require.InRange(maxWords, "max_words", 1, 2000);
        var summarize = prompts[PluginName, "Summarize"];
        var combine = prompts[PluginName, "CombineSummaries"];
        var output = OutputTokens(summarize);
        var mapBudget = InputBudget("Summarize", output);
        var reduceBudget = InputBudget("CombineSummaries", output);
        // Each reduce round must merge at least two partial summaries, or it would not shrink the input.
        if (reduceBudget < 2 * output + 16)
            throw new InvalidOperationException($"The context window ({tokens.ContextSize} tokens) is too small to map-reduce summaries of up to {output} tokens. Raise Llama:ContextSize.");

        string final;
        int chunkCount, rounds = 0;
        if (tokens.CountTokens(text) <= mapBudget)
        {
            chunkCount = 1;
            final = await CallAsync(kernel, summarize, "text", text, style, maxWords, output, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var chunks = TextChunker.Split(text, mapBudget, tokens);
            chunkCount = chunks.Count;
            var partialWords = Math.Clamp(output / 2, 20, 250);
            _logger.LogInformation("Summarizing {Tokens} tokens in {Chunks} chunks of at most {Budget} tokens.", chunks.Sum(c => c.Tokens), chunks.Count, mapBudget);
            var partials = await MapAsync(chunks.Select(c => c.Text).ToList(), (t, ct) => CallAsync(kernel, summarize, "text", t, SummaryStyle.Paragraph, partialWords, output, ct), cancellationToken).ConfigureAwait(false);
            while (true)
            {
                rounds++;
                var numbered = Number(partials);
                if (tokens.CountTokens(numbered) <= reduceBudget)
                {
                    final = await CallAsync(kernel, combine, "summaries", numbered, style, maxWords, output, cancellationToken).ConfigureAwait(false);
                    break;
                }
                var groups = Group(partials, reduceBudget);
                partials = await MapAsync(groups.Select(Number).ToList(), (t, ct) => CallAsync(kernel, combine, "summaries", t, SummaryStyle.Paragraph, partialWords, output, ct), cancellationToken).ConfigureAwait(false);
            }
        }
        var (summary, truncated) = WordLimit.Truncate(final.Trim(), maxWords);
        return new SummaryResult(summary, chunkCount, rounds, truncated);
    }

    public Task<ToolResult<KeyPointsResult>> KeyPointsAsync(Kernel kernel, string text, int maxPoints = 7, CancellationToken cancellationToken = default)
    {
        Require.Text(text, "text", _options.MaxInputCharacters);
        Require.InRange(maxPoints, "max_points", 1, 20);
        return MapStructuredAsync<KeyPointsResult>(kernel, "KeyPoints", text, new() { ["max_points"] = maxPoints.ToString(CultureInfo.InvariantCulture) },
            parts => new KeyPointsResult(RoundRobin(parts.Select(p => p.KeyPoints).ToList(), p => p, maxPoints)), cancellationToken);
    }

    public Task<ToolResult<ActionItemsResult>> ActionItemsAsync(Kernel kernel, string text, CancellationToken cancellationToken = default)
    {
        Require.Text(text, "text", _options.MaxInputCharacters);
        return MapStructuredAsync<ActionItemsResult>(kernel, "ActionItems", text, [],
            parts => new ActionItemsResult(parts.SelectMany(p => p.ActionItems).DistinctBy(a => Normalize(a.Task)).ToList()), cancellationToken);
    }

    /// <summary>Runs a structured prompt on each chunk (one request when the text fits) and merges the parsed parts in document order.</summary>
    private async Task<ToolResult<T>> MapStructuredAsync<T>(Kernel kernel, string functionName, string text, Dictionary<string, object?> extra, Func<IReadOnlyList<T>, T> merge, CancellationToken cancellationToken)
        where T : class
    {
        var function = prompts[PluginName, functionName];
        var output = OutputTokens(function);
        var budget = InputBudget(functionName, output);
        var chunks = TextChunker.Split(text, budget, tokens);
        var results = await MapAsync(chunks.Select(c => c.Text).ToList(), async (chunk, ct) =>
        {
            var arguments = new KernelArguments { ["text"] = chunk };
            foreach (var (k, v) in extra) arguments[k] = v;
            return await StructuredPrompt.InvokeAsync<T>(function, kernel, arguments, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < results.Count; i++)
        {
            if (!results[i].Ok)
                return ToolResult<T>.Failure(chunks.Count == 1 ? results[i].Error! : $"chunk {i + 1} of {chunks.Count}: {results[i].Error}");
        }
        return ToolResult<T>.Success(results.Count == 1 ? results[0].Value! : merge(results.Select(r => r.Value!).ToList()));
    }

    private async Task<string> CallAsync(Kernel kernel, KernelFunction function, string inputName, string input, SummaryStyle style, int maxWords, int outputTokens, CancellationToken cancellationToken)
    {
        var settings = function.ExecutionSettings?.TryGetValue(PromptExecutionSettings.DefaultServiceId, out var configured) == true ? configured.Clone() : new PromptExecutionSettings();
        settings.ExtensionData ??= new Dictionary<string, object>();
        settings.ExtensionData["max_tokens"] = outputTokens;
        var arguments = new KernelArguments(settings)
        {
            [inputName] = input,
            ["style"] = style.ToString().ToLowerInvariant(),
            ["max_words"] = maxWords.ToString(CultureInfo.InvariantCulture),
        };
        var result = await function.InvokeAsync(kernel, arguments, cancellationToken).ConfigureAwait(false);
        return (result.GetValue<object>()?.ToString() ?? "").Trim();
    }

    /// <summary>Runs <paramref name="work"/> over the inputs with bounded concurrency; results keep the input order.</summary>
    private async Task<IReadOnlyList<TResult>> MapAsync<TResult>(IReadOnlyList<string> inputs, Func<string, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        var results = new TResult[inputs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Count), new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelRequests, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await work(inputs[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    /// <summary>Tokens a response may take: config.json's max_tokens, but at most a quarter of the context window.</summary>
    internal int OutputTokens(KernelFunction function)
    {
        var configured = function.ExecutionSettings?.TryGetValue(PromptExecutionSettings.DefaultServiceId, out var s) == true && s.ExtensionData?.TryGetValue("max_tokens", out var v) == true
            ? int.Parse(v.ToString()!, CultureInfo.InvariantCulture) : 512;
        return Math.Max(32, Math.Min(configured, tokens.ContextSize / 4));
    }

    /// <summary>Tokens of input one request can carry: the context less the prompt template and the response.</summary>
    internal int InputBudget(string functionName, int outputTokens)
    {
        var overhead = tokens.CountTokens(prompts.TemplateText(PluginName, functionName)) + TemplateMargin;
        var budget = tokens.ContextSize - overhead - outputTokens;
        if (budget < 32)
            throw new InvalidOperationException($"The context window ({tokens.ContextSize} tokens) is too small for {PluginName}.{functionName}: its prompt takes about {overhead} tokens and its answer {outputTokens}. Raise Llama:ContextSize.");
        return budget;
    }

    /// <summary>Partial summaries as the reduce prompt reads them: "[1] …", "[2] …", in document order.</summary>
    internal static string Number(IReadOnlyList<string> partials)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < partials.Count; i++)
        {
            if (i > 0) builder.Append("\n\n");
            builder.Append('[').Append(i + 1).Append("] ").Append(partials[i].Trim());
        }
        return builder.ToString();
    }

    /// <summary>Consecutive partial summaries packed into groups whose numbered text fits <paramref name="budget"/> (each at least two when possible).</summary>
    internal List<List<string>> Group(IReadOnlyList<string> partials, int budget)
    {
        var groups = new List<List<string>>();
        var current = new List<string>();
        foreach (var raw in partials)
        {
            // A partial too long to share a request with another is cut so that two always fit.
            var partial = FitTokens(raw, budget / 2 - 8);
            if (current.Count > 0 && tokens.CountTokens(Number([.. current, partial])) > budget)
            {
                groups.Add(current);
                current = [];
            }
            current.Add(partial);
        }
        if (current.Count > 0) groups.Add(current);
        return groups;
    }

    private string FitTokens(string text, int budget)
    {
        var count = tokens.CountTokens(text);
        var words = WordLimit.Count(text);
        while (count > budget && words > 1)
        {
            words = Math.Max(1, (int)(words * (double)budget / count * 0.9));
            text = WordLimit.Truncate(text, words).Text;
            count = tokens.CountTokens(text);
        }
        return text;
    }

    /// <summary>The first item of every list, then the second of every list, …: the top points of each part first.</summary>
    private static List<TItem> RoundRobin<TItem>(IReadOnlyList<IReadOnlyList<TItem>> lists, Func<TItem, string> key, int max)
    {
        var result = new List<TItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var rank = 0; result.Count < max && lists.Any(l => l.Count > rank); rank++)
        {
            foreach (var list in lists)
            {
                if (rank < list.Count && seen.Add(Normalize(key(list[rank])))) result.Add(list[rank]);
                if (result.Count == max) break;
            }
        }
        return result;
    }

    private static string Normalize(string s) => string.Join(' ', s.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
