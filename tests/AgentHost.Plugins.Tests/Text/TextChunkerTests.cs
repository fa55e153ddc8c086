using AgentHost.Plugins.Text;

namespace AgentHost.Plugins.Tests.Text;

public class TextChunkerTests
{
    private static readonly ApproximateTokenCounter Counter = new(4096);

    private static string Paragraphs(int count, int sentences) => string.Join("\n\n", Enumerable.Range(1, count).Select(p =>
        string.Join(" ", Enumerable.Range(1, sentences).Select(s => $"Paragraph {p} sentence {s} talks about topic number {p * 100 + s}."))));

    [Theory]
    [InlineData(20)]
    [InlineData(50)]
    [InlineData(200)]
    public void ChunksConcatenateToTheInputAndFitTheBudget(int budget)
    {
        var text = "  Leading space.\n\n" + Paragraphs(6, 5) + "\n\n中文段落。第二句话！第三句话？\n\nTrailing.\n";
        var chunks = TextChunker.Split(text, budget, Counter);
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
        Assert.All(chunks, c => Assert.True(c.Tokens <= budget, $"chunk {c.Index} has {c.Tokens} tokens > {budget}"));
        Assert.All(chunks, c => Assert.Equal(Counter.CountTokens(c.Text), c.Tokens));
    }

    [Fact]
    public void TextWithinTheBudgetIsOneChunk()
    {
        var chunks = TextChunker.Split("Short text.", 100, Counter);
        Assert.Equal("Short text.", Assert.Single(chunks).Text);
    }

    [Fact]
    public void CutsAtParagraphsBeforeSentences()
    {
        var text = Paragraphs(4, 3);
        var perParagraph = Counter.CountTokens(text.Split("\n\n")[0] + "\n\n");
        var chunks = TextChunker.Split(text, perParagraph + 2, Counter);
        Assert.Equal(4, chunks.Count);
        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith(".\n\n", c.Text));
        Assert.All(chunks, c => Assert.StartsWith("Paragraph", c.Text));
    }

    [Fact]
    public void LongParagraphsAreCutAtSentenceEnds()
    {
        var text = Paragraphs(1, 12);
        var chunks = TextChunker.Split(text, 40, Counter);
        Assert.True(chunks.Count > 1);
        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith(". ", c.Text));
    }

    [Fact]
    public void ChineseIsCutAfterFullStopsWithoutSpaces()
    {
        var text = string.Concat(Enumerable.Range(1, 30).Select(i => $"这是第{i}个句子，内容很短。"));
        var chunks = TextChunker.Split(text, 40, Counter);
        Assert.True(chunks.Count > 1);
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith("。", c.Text));
    }

    [Fact]
    public void AbbreviationsFollowedByLowerCaseDoNotEndASentence()
    {
        var units = TextChunker.Units("Use e.g. this one. Then stop.", level: 2);
        Assert.Equal(["Use e.g. this one. ", "Then stop."], units);
    }

    [Fact]
    public void PlaceholderTokensAndSurrogatePairsAreNeverCut()
    {
        var text = string.Concat(Enumerable.Repeat("⟦12⟧😀", 40));
        var chunks = TextChunker.Split(text, 3, Counter);
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
        foreach (var chunk in chunks)
        {
            Assert.False(char.IsHighSurrogate(chunk.Text[^1]));
            Assert.Equal(chunk.Text.Count(c => c == '⟦'), chunk.Text.Count(c => c == '⟧'));
        }
    }

    [Fact]
    public void RejectsANonPositiveBudget() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TextChunker.Split("x", 0, Counter));
}
