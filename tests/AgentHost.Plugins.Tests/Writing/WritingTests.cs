using AgentHost.Plugins.Tests.Support;
using AgentHost.Plugins.Writing;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Tests.Writing;

public class WritingTests
{
    private static ProofreadEdit Edit(string original, string replacement, EditKind kind = EditKind.Spelling) => new(original, replacement, kind, "why");

    [Fact]
    public void EditsAreAppliedInDocumentOrder()
    {
        var result = EditApplier.Apply("Their going too the meeting tomorow.", [Edit("Their", "They're", EditKind.Grammar), Edit("too", "to"), Edit("tomorow", "tomorrow")]);
        Assert.Equal("They're going to the meeting tomorrow.", result.CorrectedText);
        Assert.Equal(3, result.Edits.Count);
        Assert.Empty(result.Unmatched);
    }

    [Fact]
    public void RepeatedWordsAreMatchedAfterThePreviousEdit()
    {
        var result = EditApplier.Apply("teh cat and teh dog", [Edit("teh", "the"), Edit("teh", "the")]);
        Assert.Equal("the cat and the dog", result.CorrectedText);
    }

    [Fact]
    public void EditsNotFoundOrOverlappingChangeNothing()
    {
        var result = EditApplier.Apply("A simple sentence.", [Edit("simple sentence", "plain sentence", EditKind.Style), Edit("sentence", "phrase", EditKind.WordChoice), Edit("missing", "x")]);
        Assert.Equal("A plain sentence.", result.CorrectedText);
        Assert.Equal(2, result.Unmatched.Count);
    }

    [Fact]
    public async Task ProofreadParsesTheEditsAndCorrectsTheText()
    {
        var client = new ScriptedChatClient(_ => """{"edits": [{"original": "tomorow", "replacement": "tomorrow", "kind": "spelling", "explanation": "Misspelled."}, {"original": "too", "replacement": "to", "kind": "word_choice", "explanation": "Preposition."}]}""");
        using var host = new PluginHost(client);
        var result = (await host.Kernel.InvokeAsync("Writing", "Proofread", new KernelArguments { ["text"] = "See you too tomorow." })).GetValue<ToolResult<ProofreadResult>>()!;
        Assert.True(result.Ok, result.Error);
        Assert.Equal("See you to tomorrow.", result.Value!.CorrectedText);
        Assert.Equal([EditKind.WordChoice, EditKind.Spelling], result.Value.Edits.Select(e => e.Kind));
    }

    [Fact]
    public async Task ProofreadOutputThatIsNotJsonIsAnErrorResult()
    {
        using var host = new PluginHost(new ScriptedChatClient(_ => "Looks fine to me!"));
        var result = (await host.Kernel.InvokeAsync("Writing", "Proofread", new KernelArguments { ["text"] = "Fine." })).GetValue<ToolResult<ProofreadResult>>()!;
        Assert.False(result.Ok);
        Assert.StartsWith("Writing.Proofread: the model's output is not valid JSON for the expected schema", result.Error);
        Assert.EndsWith("Output began: \"Looks fine to me!\"", result.Error);
    }

    [Fact]
    public async Task TheKernelExposesThePromptFunctionsAndTheNativeProofread()
    {
        using var host = new PluginHost(new ScriptedChatClient(_ => ""));
        var writing = host.Kernel.Plugins["Writing"];
        Assert.Equal(["Draft", "Expand", "Headline", "Outline", "Proofread", "Rewrite", "Shorten"], writing.Select(f => f.Name).Order());
        Assert.Contains("corrected text", writing["Proofread"].Description);
        Assert.Equal("Draft a text from a brief for an audience, in a tone, at a length.", writing["Draft"].Description);
        Assert.Equal("Writing assistant: draft from a brief, rewrite in a tone, proofread, outline, expand, shorten, headline.", writing.Description);
        await Task.CompletedTask;
    }
}
