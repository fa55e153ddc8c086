namespace AgentHost.Gguf.Tests.Support;

/// <summary>Parses in-memory bytes the way the tests need: directly, or expecting a <see cref="GgufFormatException"/>.</summary>
internal static class GgufParse
{
    public static GgufFile Bytes(byte[] bytes, int? length = null) =>
        GgufFile.Read(new MemoryStream(bytes, 0, length ?? bytes.Length, writable: false), "test.gguf");

    /// <summary>Asserts parsing fails with a GgufFormatException (and nothing else) and returns it.</summary>
    public static GgufFormatException Fails(byte[] bytes, int? length = null)
    {
        var error = Assert.Throws<GgufFormatException>(() => Bytes(bytes, length));
        Assert.Equal("test.gguf", error.FilePath);
        Assert.InRange(error.Offset, 0, length ?? bytes.Length);
        Assert.Contains("test.gguf", error.Message);
        Assert.Contains($"offset {error.Offset}", error.Message);
        return error;
    }
}
