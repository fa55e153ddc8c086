using System.Text;
using AgentHost.Llama.Engine;
using AgentHost.Native;

namespace AgentHost.Llama.Tests.Engine;

/// <summary>Chinese and emoji survive tokenize / generate / stream with a real multi-byte vocabulary (qwen2).</summary>
public class Utf8StreamingTests(SyntheticQwenFixture fixture) : IClassFixture<SyntheticQwenFixture>
{
    private const string Mixed = "你好，世界！今天天气很好。🙂👍🏽 Emoji 🎉 and café — naïve 日本語テキスト";

    [Fact]
    public void TokenizeDetokenizeRoundTrips()
    {
        var tokens = fixture.Model.Tokenize(Mixed, addSpecial: false, parseSpecial: false);
        Assert.True(tokens.Length > 10);
        Assert.Equal(Mixed, fixture.Model.Detokenize(tokens));
    }

    [Fact]
    public void PiecesSplitInsideCharactersAreReassembledWithoutBreakage()
    {
        // Byte-level BPE splits multi-byte characters across tokens; each piece alone is not valid UTF-8.
        var tokens = fixture.Model.Tokenize(Mixed, addSpecial: false, parseSpecial: false);
        var decoder = new Utf8TokenDecoder();
        var text = new StringBuilder();
        var sawPartial = false;
        foreach (var t in tokens)
        {
            var bytes = fixture.Model.Handle.TokenToBytes(t, special: false);
            sawPartial |= !IsCompleteUtf8(bytes);
            var piece = decoder.Push(bytes);
            Assert.DoesNotContain('\uFFFD', piece);
            Assert.False(HasLoneSurrogate(piece), $"broken surrogate pair in '{piece}'");
            text.Append(piece);
        }
        text.Append(decoder.Flush());
        Assert.True(sawPartial, "the qwen2 vocab should split some character across tokens");
        Assert.Equal(Mixed, text.ToString());
    }

    [Fact]
    public void DecoderHoldsBackEveryIncompleteSplit()
    {
        var bytes = Encoding.UTF8.GetBytes(Mixed);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var decoder = new Utf8TokenDecoder();
            var a = decoder.Push(bytes.AsSpan(0, cut));
            var b = decoder.Push(bytes.AsSpan(cut));
            Assert.Equal(Mixed, a + b + decoder.Flush());
            Assert.DoesNotContain('\uFFFD', a);
        }
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(3u)]
    public async Task GeneratedStreamEqualsDetokenizedTokens(uint seed)
    {
        var request = new GenerationRequest
        {
            Prompt = "请用中文回答：今天天气怎么样？🙂",
            MaxTokens = 48,
            IgnoreEndOfGeneration = true,
            Sampling = new SamplerSettings { Temperature = 1.0f, TopK = 0, TopP = 1, MinP = 0, Seed = seed },
        };
        var streamed = new StringBuilder();
        var bytes = new List<byte>();
        await foreach (var u in fixture.Engine.GenerateAsync(request))
        {
            Assert.False(HasLoneSurrogate(u.Text), $"broken character in streamed piece '{u.Text}'");
            streamed.Append(u.Text);
            if (u.Token is { } t) bytes.AddRange(fixture.Model.Handle.TokenToBytes(t, special: false));
        }
        var expected = new UTF8Encoding(false, false).GetString(bytes.ToArray());
        Assert.Equal(expected, streamed.ToString());
        var whole = await fixture.Engine.CompleteAsync(request);
        Assert.Equal(streamed.ToString(), whole.Text);
    }

    private static bool IsCompleteUtf8(byte[] bytes)
    {
        try { new UTF8Encoding(false, true).GetString(bytes); return true; }
        catch (DecoderFallbackException) { return false; }
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i])) { if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return true; i++; }
            else if (char.IsLowSurrogate(s[i])) return true;
        }
        return false;
    }
}
