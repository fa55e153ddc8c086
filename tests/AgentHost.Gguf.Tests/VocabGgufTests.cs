using AgentHost.Tests;

namespace AgentHost.Gguf.Tests;

/// <summary>Every vocab-only GGUF shipped with the llama.cpp v0.5.0 source reads, and re-serializes to the same bytes.</summary>
public sealed class VocabGgufTests
{
    private static List<string> VocabFileNames() =>
        [.. Directory.GetFiles(Path.Combine(TestAssets.LlamaSource, "models"), "ggml-vocab-*.gguf").Select(p => Path.GetFileName(p)).Order()];

    public static TheoryData<string> VocabFiles() => new(VocabFileNames());

    [Fact]
    public void The_source_tree_ships_the_expected_vocab_files()
    {
        var names = VocabFileNames();
        Assert.True(names.Count >= 15, $"only {names.Count} vocab files found");
        Assert.Contains("ggml-vocab-qwen2.gguf", names);
        Assert.Contains("ggml-vocab-llama-spm.gguf", names);
        Assert.Contains("ggml-vocab-llama-bpe.gguf", names);
    }

    [Theory]
    [MemberData(nameof(VocabFiles))]
    public void Vocab_file_reads_with_a_consistent_tokenizer(string name)
    {
        var file = GgufFile.Read(Path.Combine(TestAssets.LlamaSource, "models", name));

        Assert.Empty(file.Tensors);
        Assert.True(GgufArchitectures.IsSupported(file.Architecture), $"architecture '{file.Architecture}'");
        Assert.False(string.IsNullOrEmpty(file.TokenizerModel));
        var tokens = file.Get<string[]>(GgufKeys.Tokens);
        Assert.True(tokens.Length > 1000, $"{tokens.Length} tokens");
        Assert.Equal(tokens.Length, file.TokenCount);
        if (file.TryGet<int[]>("tokenizer.ggml.token_type", out var types)) Assert.Equal(tokens.Length, types.Length);
        if (file.TryGet<float[]>("tokenizer.ggml.scores", out var scores)) Assert.Equal(tokens.Length, scores.Length);
        foreach (var id in new[] { file.BosTokenId, file.EosTokenId, file.PadTokenId })
            if (id is { } tokenId) Assert.InRange(tokenId, 0, tokens.Length - 1);
    }

    [Theory]
    [MemberData(nameof(VocabFiles))]
    public void Writing_the_metadata_back_reproduces_the_file_bytes(string name)
    {
        var path = Path.Combine(TestAssets.LlamaSource, "models", name);
        var original = File.ReadAllBytes(path);
        var file = GgufFile.Read(path);

        var copy = new MemoryStream();
        using (var writer = new GgufWriter(copy, leaveOpen: true))
        {
            foreach (var (key, value) in file.Metadata) writer.AddMetadata(key, value);
            writer.Finish();
        }

        // Same key order, types and string bytes; the writer then pads to the alignment as llama.cpp's writer does.
        // Only the version field may differ: some of these files are GGUF v2 (same layout), the writer writes v3.
        var written = copy.ToArray();
        Assert.True(written.Length >= original.Length);
        Assert.Equal(3u, BitConverter.ToUInt32(written, 4));
        Assert.Equal(file.Version, BitConverter.ToUInt32(original, 4));
        Assert.True(original.AsSpan(0, 4).SequenceEqual(written.AsSpan(0, 4)), "magic differs");
        Assert.True(original.AsSpan(8).SequenceEqual(written.AsSpan(8, original.Length - 8)), "metadata bytes differ");
        Assert.All(written.Skip(original.Length), b => Assert.Equal(0, b));
        Assert.Equal(0, written.Length % 32);
    }
}
