using System.Text;

namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>
/// Streaming must give the same result however the reply is split, and must never release call syntax as text: the
/// released text only ever grows, so "a prefix of the final text at every step" proves nothing leaked.
/// </summary>
public sealed class StreamingToolCallParserTests
{
    [Theory]
    [MemberData(nameof(ParseScenarios.Names), MemberType = typeof(ParseScenarios))]
    public void Any_two_way_split_at_every_char_gives_the_complete_result(string name)
    {
        var scenario = ParseScenarios.Get(name);
        for (var k = 0; k <= scenario.Output.Length; k++)
        {
            var parser = ToolCallFormat.For(scenario.Format).CreateStreamingParser(ToolFixtures.Counter());
            var updates = new[] { parser.Push(scenario.Output[..k]), parser.Push(scenario.Output[k..]), parser.Complete() };
            ToolCallAssert.Matches(scenario, string.Concat(updates.Select(u => u.TextDelta)), updates.SelectMany(u => u.ToolCalls).ToList(), $"split at {k}: ");
        }
    }

    [Theory]
    [MemberData(nameof(ParseScenarios.Names), MemberType = typeof(ParseScenarios))]
    public void Any_two_way_split_at_every_utf8_byte_gives_the_complete_result(string name)
    {
        var scenario = ParseScenarios.Get(name);
        var bytes = Encoding.UTF8.GetBytes(scenario.Output);
        for (var k = 0; k <= bytes.Length; k++)
        {
            var parser = ToolCallFormat.For(scenario.Format).CreateStreamingParser(ToolFixtures.Counter());
            var updates = new[] { parser.PushUtf8(bytes.AsSpan(0, k)), parser.PushUtf8(bytes.AsSpan(k)), parser.Complete() };
            ToolCallAssert.Matches(scenario, string.Concat(updates.Select(u => u.TextDelta)), updates.SelectMany(u => u.ToolCalls).ToList(), $"byte split at {k}: ");
        }
    }

    [Theory]
    [MemberData(nameof(ParseScenarios.Names), MemberType = typeof(ParseScenarios))]
    public void Byte_by_byte_text_only_grows_towards_the_final_text(string name)
    {
        var scenario = ParseScenarios.Get(name);
        var parser = ToolCallFormat.For(scenario.Format).CreateStreamingParser(ToolFixtures.Counter());
        var text = new StringBuilder();
        var calls = new List<ParsedToolCall>();
        foreach (var b in Encoding.UTF8.GetBytes(scenario.Output))
        {
            var update = parser.PushUtf8([b]);
            text.Append(update.TextDelta);
            calls.AddRange(update.ToolCalls);
            Assert.StartsWith(text.ToString(), scenario.Text, StringComparison.Ordinal);
        }
        var last = parser.Complete();
        text.Append(last.TextDelta);
        calls.AddRange(last.ToolCalls);
        ToolCallAssert.Matches(scenario, text.ToString(), calls);
    }

    [Fact]
    public void Hermes_releases_text_at_once_and_holds_back_a_possible_opener()
    {
        var parser = ToolCallFormat.Hermes.CreateStreamingParser(ToolFixtures.Counter());
        Assert.Equal("Hello wor", parser.Push("Hello wor").TextDelta);
        Assert.Equal("ld", parser.Push("ld <tool").TextDelta);
        var open = parser.Push("_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"q\"}}");
        Assert.True(open.IsEmpty);
        var close = parser.Push("\n</tool_call>");
        Assert.Equal("", close.TextDelta);
        Assert.Equal("search", Assert.Single(close.ToolCalls).Name);
        Assert.True(parser.Complete().IsEmpty);
    }

    [Fact]
    public void Hermes_releases_held_text_once_it_cannot_be_an_opener()
    {
        var parser = ToolCallFormat.Hermes.CreateStreamingParser();
        Assert.Equal("a", parser.Push("a <to").TextDelta);
        Assert.Equal(" <tox", parser.Push("x").TextDelta);
    }

    [Fact]
    public void Generic_response_text_streams_as_it_is_decoded()
    {
        var parser = ToolCallFormat.GenericJson.CreateStreamingParser();
        Assert.Equal("", parser.Push("{\"resp").TextDelta);
        Assert.Equal("Hel", parser.Push("onse\": \"Hel").TextDelta);
        Assert.Equal("lo", parser.Push("lo\\").TextDelta);
        Assert.Equal("\n!", parser.Push("n!\"}").TextDelta);
        Assert.True(parser.Complete().IsEmpty);
    }

    [Fact]
    public void Mistral_calls_are_released_when_the_array_closes()
    {
        var parser = ToolCallFormat.MistralNemo.CreateStreamingParser();
        var output = ToolFixtures.MistralCalls(("search", ToolFixtures.SearchArgs, "abcdefghi"));
        Assert.True(parser.Push(output[..^1]).IsEmpty);
        Assert.Equal("abcdefghi", Assert.Single(parser.Push(output[^1..]).ToolCalls).Id);
    }

    [Fact]
    public void Pushing_after_complete_throws()
    {
        var parser = ToolCallFormat.Hermes.CreateStreamingParser();
        parser.Complete();
        Assert.Throws<ObjectDisposedException>(() => parser.Push("x"));
    }
}
