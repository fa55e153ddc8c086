using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Summarization;

/// <summary>Summarization tools over <see cref="Summarizer"/>; long documents are map-reduced to fit the context window.</summary>
[Description("Summarization: summaries (paragraph, bullets, TL;DR) within a word limit, key points and action items, for documents of any length.")]
public sealed class SummarizationPlugin(Summarizer summarizer)
{
    public const string PluginName = "Summarization";

    [KernelFunction, Description("Summarize a text of any length as a paragraph, bullets or a one-sentence TL;DR, within a word limit.")]
    public async Task<string> SummarizeAsync(
        Kernel kernel,
        [Description("The text to summarize.")] string text,
        [Description("paragraph, bullets or tldr.")] string style = "paragraph",
        [Description("Most words in the summary (1-2000).")] int max_words = 120,
        CancellationToken cancellationToken = default)
    {
        var result = await summarizer.SummarizeAsync(kernel, text, Require.Enum<SummaryStyle>(style, "style"), max_words, cancellationToken).ConfigureAwait(false);
        return result.Summary;
    }

    [KernelFunction, Description("Extract the key points of a text (a list of sentences, most important first).")]
    public Task<ToolResult<KeyPointsResult>> KeyPointsAsync(
        Kernel kernel,
        [Description("The text.")] string text,
        [Description("Most key points (1-20).")] int max_points = 7,
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(() => summarizer.KeyPointsAsync(kernel, text, max_points, cancellationToken));

    [KernelFunction, Description("Extract the action items of a text such as meeting notes: task, owner, due date, priority.")]
    public Task<ToolResult<ActionItemsResult>> ActionItemsAsync(
        Kernel kernel,
        [Description("The text.")] string text,
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(() => summarizer.ActionItemsAsync(kernel, text, cancellationToken));
}
