using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.OpenAiAssert;

namespace AgentHost.Server.Tests;

/// <summary>/tokenize → /detokenize with the real Qwen2 vocabulary (byte-level BPE): Chinese and emoji come back intact.</summary>
public class QwenTokenizeTests(QwenServerFixture fixture) : IClassFixture<QwenServerFixture>
{
    [Theory]
    [InlineData("你好，世界！今天天气很好。")]
    [InlineData("Emoji: 🎉🐉👩‍👩‍👧 done")]
    [InlineData("混合 mixed 文本 🌏 with <|im_start|> text")]
    public async Task TokenIdsRoundTrip(string text)
    {
        using var http = fixture.Server.CreateHttpClient();
        using var tokenized = JsonDocument.Parse(await (await http.PostAsync("tokenize", Json(JsonSerializer.Serialize(new { content = text, with_pieces = true })))).Content.ReadAsStringAsync());
        var entries = tokenized.RootElement.GetProperty("tokens").EnumerateArray().ToList();
        Assert.True(entries.Count > 3);
        var ids = entries.Select(e => e.GetProperty("id").GetInt32()).ToArray();
        Assert.All(ids, id => Assert.InRange(id, 0, fixture.Server.Engine.Model.VocabCount - 1));

        // Pieces that end inside a character come as bytes; all pieces together are the text's UTF-8.
        var bytes = new List<byte>();
        foreach (var piece in entries.Select(e => e.GetProperty("piece")))
            bytes.AddRange(piece.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(piece.GetString()!) : piece.EnumerateArray().Select(b => (byte)b.GetInt32()));
        Assert.Equal(Encoding.UTF8.GetBytes(text), bytes.ToArray());
        if (text.Contains("🎉", StringComparison.Ordinal)) Assert.Contains(entries, e => e.GetProperty("piece").ValueKind == JsonValueKind.Array);

        using var back = JsonDocument.Parse(await (await http.PostAsync("detokenize", Json(JsonSerializer.Serialize(new { tokens = ids })))).Content.ReadAsStringAsync());
        Assert.Equal(text, back.RootElement.GetProperty("content").GetString());
    }
}
