namespace AgentHost.Models.Tests;

public class ModelCacheOptionsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Defaults_UnderHomeCache()
    {
        var options = ModelCacheOptions.FromEnvironment(environment: Env());

        Assert.EndsWith(Path.Combine(".cache", "agenthost", "models"), options.RootDirectory);
        Assert.Equal(new Uri("https://huggingface.co/"), options.HuggingFaceEndpoint);
        Assert.Null(options.HuggingFaceToken);
    }

    [Fact]
    public void EnvironmentVariables_Apply()
    {
        var options = ModelCacheOptions.FromEnvironment(environment: Env(
            ("AGENTHOST_MODELS", "/data/models"), ("HF_ENDPOINT", "http://127.0.0.1:9999"), ("HF_TOKEN", "hf_abc")));

        Assert.Equal("/data/models", options.RootDirectory);
        Assert.Equal(new Uri("http://127.0.0.1:9999/"), options.HuggingFaceEndpoint);
        Assert.Equal("hf_abc", options.HuggingFaceToken);
    }

    [Fact]
    public void ExplicitFolder_WinsOverEnvironment()
    {
        var options = ModelCacheOptions.FromEnvironment("/explicit", Env(("AGENTHOST_MODELS", "/data/models")));

        Assert.Equal("/explicit", options.RootDirectory);
    }

    [Fact]
    public void XdgCacheHome_AndLegacyTokenVariable()
    {
        var options = ModelCacheOptions.FromEnvironment(environment: Env(("XDG_CACHE_HOME", "/xdg"), ("HUGGING_FACE_HUB_TOKEN", "hf_old")));

        Assert.Equal(Path.Combine("/xdg", "agenthost", "models"), options.RootDirectory);
        Assert.Equal("hf_old", options.HuggingFaceToken);
    }

    [Fact]
    public void BadEndpoint_IsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCacheOptions.FromEnvironment(environment: Env(("HF_ENDPOINT", "not a url"))));

        Assert.Contains("HF_ENDPOINT 'not a url'", error.Message);
    }

    [Fact]
    public void Validate_RejectsEmptyFolderAndRelativeEndpoint()
    {
        Assert.Contains("RootDirectory", Assert.Throws<ArgumentException>(() => new ModelCache(new ModelCacheOptions { RootDirectory = " " })).Message);
        Assert.Contains("HuggingFaceEndpoint", Assert.Throws<ArgumentException>(
            () => new ModelCacheOptions { HuggingFaceEndpoint = new Uri("relative/path", UriKind.Relative) }.Validate()).Message);
    }
}
