using AgentHost.Plugins.Translation;

namespace AgentHost.Plugins.Tests.Translation;

public class ProtectedTextTests
{
    [Theory]
    [InlineData("Hello {name}, you have {0} messages.", new[] { "{name}", "{0}" })]
    [InlineData("Total: {0:N2} {{currency}} ${amount}", new[] { "{0:N2}", "{{currency}}", "${amount}" })]
    [InlineData("%s has %d items (%.2f%%) %1$s %(user)s", new[] { "%s", "%d", "%.2f", "%%", "%1$s", "%(user)s" })]
    [InlineData("Click <a href=\"/x?a=1&b=2\">here</a> or <br/>", new[] { "<a href=\"/x?a=1&b=2\">", "</a>", "<br/>" })]
    [InlineData("Run `npm install {pkg}` first", new[] { "`npm install {pkg}`" })]
    [InlineData("See https://example.com/a?b=c. Mail help@example.com", new[] { "https://example.com/a?b=c", "help@example.com" })]
    [InlineData("Fish &amp; chips &#169; &#x4E2D;", new[] { "&amp;", "&#169;", "&#x4E2D;" })]
    [InlineData("Save 50% off today", new string[0])]
    public void FindsTheSpansToKeep(string text, string[] spans)
    {
        var p = ProtectedText.Protect(text);
        Assert.Equal(spans, p.Spans.Select(s => s.Original));
        Assert.Equal(Enumerable.Range(1, spans.Length).Select(i => $"⟦{i}⟧"), p.Spans.Select(s => s.Token));
        Assert.Equal(text, p.Restore(p.Masked));
    }

    [Fact]
    public void FencedCodeIsOneSpan()
    {
        var text = "Before\n```python\nprint(\"{x}\") # <tag>\n```\nAfter {y}";
        var p = ProtectedText.Protect(text);
        Assert.Equal(["```python\nprint(\"{x}\") # <tag>\n```", "{y}"], p.Spans.Select(s => s.Original));
        Assert.Equal("Before\n⟦1⟧\nAfter ⟦2⟧", p.Masked);
    }

    [Fact]
    public void RestorationToleratesMovedTokensAndSpacesInsideBrackets()
    {
        var p = ProtectedText.Protect("Hello {name}, order {id} shipped.");
        Assert.Equal("Hello ⟦1⟧, order ⟦2⟧ shipped.", p.Masked);
        Assert.Equal("订单 {id} 已发货，{name} 您好。", p.Restore("订单 ⟦ 2 ⟧ 已发货，⟦1⟧ 您好。"));
    }

    [Theory]
    [InlineData("订单已发货，您好。", "⟦1⟧ is missing, ⟦2⟧ is missing")]
    [InlineData("⟦1⟧ ⟦1⟧ ⟦2⟧", "⟦1⟧ appears 2 times")]
    [InlineData("⟦1⟧ ⟦2⟧ ⟦3⟧", "⟦3⟧ was not in the source")]
    public void RestorationRejectsLostDuplicatedOrInventedTokens(string translated, string problem)
    {
        var p = ProtectedText.Protect("Hello {name}, order {id} shipped.");
        Assert.Equal(problem, ProtectedText.CheckTokens(p.Masked, translated));
        var ex = Assert.Throws<InvalidOperationException>(() => p.Restore(translated));
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void GlossaryTermsComeBackAsTheirTranslation()
    {
        var glossary = Glossary.Parse("gift card=礼品卡; Contoso => 康托索");
        var p = ProtectedText.Protect("Your Contoso gift card and GIFT CARD balance; giftcards stay.", glossary);
        Assert.Equal("Your ⟦1⟧ ⟦2⟧ and ⟦3⟧ balance; giftcards stay.", p.Masked);
        Assert.Equal("您的 康托索 礼品卡 和 礼品卡 余额", p.Restore("您的 ⟦1⟧ ⟦2⟧ 和 ⟦3⟧ 余额"));
    }

    [Fact]
    public void ExistingBracketsInTheTextAreProtectedToo()
    {
        var text = "Literal ⟦1⟧ in the source and {x}";
        var p = ProtectedText.Protect(text);
        Assert.DoesNotContain("⟦1⟧ in", p.Masked);
        Assert.Equal(text, p.Restore(p.Masked));
    }

    [Fact]
    public void SegmentsSplitTheMaskedTextAtTokens()
    {
        Assert.Equal([(false, "Hi "), (true, "⟦1⟧"), (false, ", bye "), (true, "⟦2⟧")], ProtectedText.Segments("Hi ⟦1⟧, bye ⟦2⟧"));
    }

    [Theory]
    [InlineData("a=", "entry 1 ('a') has an empty target term")]
    [InlineData("=b", "entry 1 has an empty source term")]
    [InlineData("a=b; A=c", "the term 'A' appears twice")]
    [InlineData("just words", "entry 1 ('just words') is not of the form term=translation")]
    [InlineData("{\"a\": 1}", "is not a JSON object of strings")]
    public void BadGlossariesAreRejectedNamingTheEntry(string glossary, string problem)
    {
        var ex = Assert.Throws<AgentHost.Plugins.PluginInputException>(() => Glossary.Parse(glossary));
        Assert.Equal("glossary", ex.ParamName);
        Assert.Contains(problem, ex.Message);
    }
}
