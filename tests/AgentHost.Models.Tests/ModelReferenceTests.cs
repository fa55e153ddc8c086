namespace AgentHost.Models.Tests;

public class ModelReferenceTests
{
    [Fact]
    public void HuggingFaceReference_DefaultsToMain()
    {
        var reference = ModelReference.Parse("hf:TheOrg/Some-Model.GGUF/model-Q4_K_M.gguf");

        Assert.Equal(ModelReferenceKind.HuggingFace, reference.Kind);
        Assert.Equal("TheOrg", reference.Owner);
        Assert.Equal("Some-Model.GGUF", reference.Repo);
        Assert.Equal("model-Q4_K_M.gguf", reference.FilePath);
        Assert.Equal("model-Q4_K_M.gguf", reference.FileName);
        Assert.Equal("main", reference.Revision);
        Assert.Null(reference.Split);
        Assert.Equal("hf:TheOrg/Some-Model.GGUF/model-Q4_K_M.gguf", reference.ToString());
    }

    [Fact]
    public void HuggingFaceReference_WithRevisionAndSubfolder()
    {
        var reference = ModelReference.Parse("hf://org/repo/Q8_0/model.gguf@refs/pr/1");

        Assert.Equal("Q8_0/model.gguf", reference.FilePath);
        Assert.Equal("model.gguf", reference.FileName);
        Assert.Equal("refs/pr/1", reference.Revision);
        Assert.Equal("hf:org/repo/Q8_0/model.gguf@refs/pr/1", reference.ToString());
        Assert.Equal(
            "https://huggingface.co/org/repo/resolve/refs%2Fpr%2F1/Q8_0/model.gguf",
            reference.GetDownloadUri(ModelCacheOptions.DefaultHuggingFaceEndpoint).AbsoluteUri);
    }

    [Fact]
    public void HuggingFaceReference_DownloadUriUsesConfiguredEndpointWithPathPrefix()
    {
        var reference = ModelReference.Parse("hf:org/repo/my model.gguf@v1.0");

        Assert.Equal(
            "http://127.0.0.1:8080/mirror/org/repo/resolve/v1.0/my%20model.gguf",
            reference.GetDownloadUri(new Uri("http://127.0.0.1:8080/mirror/")).AbsoluteUri);
    }

    [Fact]
    public void HuggingFaceWebUrl_IsReadAsHfReference()
    {
        var reference = ModelReference.Parse("https://huggingface.co/org/repo/resolve/abc123/dir/model.gguf?download=true");

        Assert.Equal(ModelReferenceKind.HuggingFace, reference.Kind);
        Assert.Equal(ModelReference.Parse("hf:org/repo/dir/model.gguf@abc123"), reference);
    }

    [Fact]
    public void PlainUrl()
    {
        var reference = ModelReference.Parse("https://example.com/models/tiny%20model.gguf?sig=1");

        Assert.Equal(ModelReferenceKind.Url, reference.Kind);
        Assert.Equal("tiny model.gguf", reference.FileName);
        Assert.Null(reference.Revision);
        Assert.Equal(new Uri("https://example.com/models/tiny%20model.gguf?sig=1"), reference.GetDownloadUri(ModelCacheOptions.DefaultHuggingFaceEndpoint));
    }

    [Fact]
    public void LocalPath_IsMadeAbsolute()
    {
        var reference = ModelReference.Parse("models/x.gguf");

        Assert.Equal(ModelReferenceKind.LocalPath, reference.Kind);
        Assert.Equal(Path.GetFullPath("models/x.gguf"), reference.LocalPath);
        Assert.Throws<InvalidOperationException>(() => reference.GetDownloadUri(ModelCacheOptions.DefaultHuggingFaceEndpoint));
    }

    [Fact]
    public void SplitReference_ExpandsToTheWholeSet_FromAnyPart()
    {
        var reference = ModelReference.Parse("hf:org/repo/big/model-Q4-00002-of-00003.gguf@v2");

        Assert.Equal(new GgufSplit(2, 3), reference.Split);
        Assert.Equal(
            ["hf:org/repo/big/model-Q4-00001-of-00003.gguf@v2", "hf:org/repo/big/model-Q4-00002-of-00003.gguf@v2", "hf:org/repo/big/model-Q4-00003-of-00003.gguf@v2"],
            reference.Parts.Select(p => p.ToString()));
        Assert.Equal("hf:org/repo/big/model-Q4-00001-of-00003.gguf@v2", reference.FirstPart.ToString());
    }

    [Fact]
    public void SplitUrl_KeepsFolderAndQuery()
    {
        var reference = ModelReference.Parse("https://example.com/m/x-00001-of-00002.gguf?t=1");

        Assert.Equal(
            ["https://example.com/m/x-00001-of-00002.gguf?t=1", "https://example.com/m/x-00002-of-00002.gguf?t=1"],
            reference.Parts.Select(p => p.ToString()));
        Assert.Equal("x-00002-of-00002.gguf", reference.Parts[1].FileName);
    }

    [Fact]
    public void NonSplitReference_IsItsOnlyPart()
    {
        var reference = ModelReference.Parse("hf:org/repo/model-00001.gguf");

        Assert.Null(reference.Split);
        Assert.Same(reference, Assert.Single(reference.Parts));
        Assert.Same(reference, reference.FirstPart);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("hf:", "OWNER/REPO/FILE.gguf")]
    [InlineData("hf:owner/repo", "OWNER/REPO/FILE.gguf")]
    [InlineData("hf:owner/repo/model.bin", "not a .gguf file")]
    [InlineData("hf:owner/repo/../x.gguf", "'..'")]
    [InlineData("hf:owner/repo//x.gguf", "empty segment")]
    [InlineData("hf:own er/repo/x.gguf", "not a valid Hugging Face owner name")]
    [InlineData("hf:owner/re..po/x.gguf", "not a valid Hugging Face repository name")]
    [InlineData("hf:owner/repo/x.gguf@", "nothing follows '@'")]
    [InlineData("hf:owner/repo/x.gguf@a/../b", "not a valid revision")]
    [InlineData("hf:owner/repo/x-00000-of-00002.gguf", "part 0 of 2")]
    [InlineData("hf:owner/repo/x-00003-of-00002.gguf", "part 3 of 2")]
    [InlineData("ftp://host/x.gguf", "scheme 'ftp' is not supported")]
    [InlineData("https://example.com/models/", "does not end in a file name")]
    [InlineData("https://example.com", "does not end in a file name")]
    [InlineData("https://example.com/a%2Fb.gguf", "cannot be used in a file name")]
    public void BadReferences_AreRejectedNamingTheProblem(string text, string expected)
    {
        var error = Assert.Throws<InvalidModelReferenceException>(() => ModelReference.Parse(text));

        Assert.Contains(expected, error.Message);
        Assert.Equal(text, error.Reference);
        Assert.False(ModelReference.TryParse(text, out _));
    }

    [Fact]
    public void EqualityFollowsCanonicalText()
    {
        Assert.Equal(ModelReference.Parse("hf:o/r/f.gguf@main"), ModelReference.Parse("hf:o/r/f.gguf"));
        Assert.NotEqual(ModelReference.Parse("hf:o/r/f.gguf@dev"), ModelReference.Parse("hf:o/r/f.gguf"));
        Assert.Equal(ModelReference.Parse("hf:o/r/f.gguf").GetHashCode(), ModelReference.Parse(" HF:o/r/f.gguf ").GetHashCode());
    }
}
