namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>
/// A call still open when generation hits its token limit is dropped rather than shown as assistant text; text
/// before it is kept. Without the cut-off flag the old rule holds: what is not a complete call is text.
/// </summary>
public sealed class CutOffToolCallTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "Hermes", "Let me check. <tool_call>\n{\"name\": \"search\", \"argu", "Let me check." },
        { "Hermes", "Let me search <tool_ca", "Let me search" },
        { "MistralNemo", "[TOOL_CALLS][{\"name\": \"search\", \"arguments\": {\"q", "" },
        { "Llama3Json", "{\"name\": \"search\", \"parameters\": {\"query\": \"tents", "" },
        { "GenericJson", "{\"tool_calls\": [{\"name\": \"search\", \"arguments\": {\"query\": \"te", "" },
    };

    private static ToolCallFormat Format(string name) => name switch
    {
        "Hermes" => ToolCallFormat.Hermes,
        "MistralNemo" => ToolCallFormat.MistralNemo,
        "Llama3Json" => ToolCallFormat.Llama3Json,
        _ => ToolCallFormat.GenericJson,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_open_call_at_the_token_limit_is_dropped(string format, string output, string text)
    {
        var parser = Format(format).CreateStreamingParser(ToolFixtures.Counter());
        var first = parser.Push(output);
        var last = parser.Complete(cutOff: true);
        Assert.Equal(text, (first.TextDelta + last.TextDelta).Trim());
        Assert.Empty(first.ToolCalls.Concat(last.ToolCalls));
        Assert.True(last.DroppedIncompleteCall);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Without_the_cut_off_flag_an_open_call_is_text(string format, string output, string text)
    {
        var parser = Format(format).CreateStreamingParser(ToolFixtures.Counter());
        var all = parser.Push(output).TextDelta + parser.Complete().TextDelta;
        Assert.StartsWith(text, all);
        Assert.EndsWith(output[^4..], all); // the open call's syntax comes out as text
    }
}
