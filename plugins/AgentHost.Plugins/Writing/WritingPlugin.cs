using System.ComponentModel;
using AgentHost.Plugins.Structured;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Writing;

/// <summary>
/// Writing tools. Draft, Rewrite, Outline, Expand, Shorten and Headline are prompt functions (prompts/Writing) the
/// kernel exposes as they are; Proofread is native because its JSON answer is parsed, validated and applied here.
/// </summary>
[Description("Writing assistant: draft from a brief, rewrite in a tone, proofread, outline, expand, shorten, headline.")]
public sealed class WritingPlugin(PromptLibrary prompts, IOptions<AgentHostPluginOptions> options)
{
    public const string PluginName = "Writing";

    [KernelFunction, Description("Proofread a text: returns the list of edits (original, replacement, kind, explanation) and the corrected text.")]
    public Task<ToolResult<ProofreadResult>> ProofreadAsync(
        Kernel kernel,
        [Description("The text to proofread.")] string text,
        CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync<ProofreadResult>(async () =>
        {
            Require.Text(text, "text", Math.Min(options.Value.MaxInputCharacters, 50_000));
            var output = await StructuredPrompt.InvokeAsync<ProofreadOutput>(prompts[PluginName, "Proofread"], kernel, new KernelArguments { ["text"] = text }, cancellationToken).ConfigureAwait(false);
            return output.Ok ? ToolResult<ProofreadResult>.Success(EditApplier.Apply(text, output.Value!.Edits)) : ToolResult<ProofreadResult>.Failure(output.Error!);
        });
}
