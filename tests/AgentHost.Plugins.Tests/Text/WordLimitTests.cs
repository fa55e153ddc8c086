using AgentHost.Plugins.Text;

namespace AgentHost.Plugins.Tests.Text;

public class WordLimitTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("one two  three", 3)]
    [InlineData("don't stop-now, ok?", 3)]
    [InlineData("我们明天见", 5)]
    [InlineData("Order ORD-10042 已发货", 5)]
    public void CountsWordsAndCjkCharacters(string text, int words) => Assert.Equal(words, WordLimit.Count(text));

    [Fact]
    public void TextWithinTheLimitIsUnchanged()
    {
        var (text, truncated) = WordLimit.Truncate("Three short words.", 3);
        Assert.Equal("Three short words.", text);
        Assert.False(truncated);
    }

    [Fact]
    public void CutsAtTheLastSentenceEndWhenThatKeepsHalf()
    {
        var (text, truncated) = WordLimit.Truncate("One two three four. Five six seven eight nine ten.", 6);
        Assert.Equal("One two three four.", text);
        Assert.True(truncated);
    }

    [Fact]
    public void OtherwiseCutsAfterAWholeWordWithAnEllipsis()
    {
        var (text, truncated) = WordLimit.Truncate("Alpha beta gamma delta epsilon zeta eta.", 3);
        Assert.Equal("Alpha beta gamma…", text);
        Assert.True(truncated);
        Assert.Equal(3, WordLimit.Count(text));
    }

    [Fact]
    public void CutsChineseByCharacter()
    {
        var (text, _) = WordLimit.Truncate("今天天气很好我们去公园", 4);
        Assert.Equal("今天天气…", text);
    }
}
