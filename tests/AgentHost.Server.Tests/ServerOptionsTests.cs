using AgentHost.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Tests;

/// <summary>The "Server" section and the Urls it takes.</summary>
public class ServerOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("http://localhost:5000", "localhost", 5000)]
    [InlineData("http://[::1]:9000", "::1", 9000)]
    [InlineData("http://*:7000", "*", 7000)]
    [InlineData("http://0.0.0.0:0", "0.0.0.0", 0)]
    public void UrlsParse(string url, string host, int port) => Assert.Equal((host, port), KestrelEndpoints.Parse(url));

    [Theory]
    [InlineData("https://127.0.0.1:8443")]
    [InlineData("http://example.com:80")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080/v1")]
    public void BadUrlsAreRefusedNamingTheKey(string url)
    {
        var error = Assert.Throws<InvalidOperationException>(() => KestrelEndpoints.Parse(url));
        Assert.Contains("Server:Urls", error.Message);
    }

    [Fact]
    public void DefaultsAreLoopbackWithoutKey()
    {
        var options = new ServerOptions();
        Assert.Equal("http://127.0.0.1:8080", options.Urls);
        Assert.Null(options.ApiKey);
        Assert.Null(options.MaxTokensLimit);
    }

    [Fact]
    public void ServerSectionIsBoundAndValidated()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llama:ModelPath"] = TestAssets.Stories260K,
            ["Server:Urls"] = "http://127.0.0.1:9999",
            ["Server:ApiKey"] = "k",
            ["Server:MaxRequestBodyBytes"] = "2048",
            ["Server:MaxTokensLimit"] = "64",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddAgentHostServer(configuration).BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        Assert.Equal(("http://127.0.0.1:9999", "k", 2048L, (int?)64), (options.Urls, options.ApiKey, options.MaxRequestBodyBytes, options.MaxTokensLimit));

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llama:ModelPath"] = TestAssets.Stories260K,
            ["Server:Urls"] = "https://127.0.0.1:1",
            ["Server:MaxRequestBodyBytes"] = "10",
        }).Build();
        using var badServices = new ServiceCollection().AddLogging().AddAgentHostServer(bad).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => badServices.GetRequiredService<IOptions<ServerOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("Server:Urls"));
        Assert.Contains(error.Failures, f => f.Contains("MaxRequestBodyBytes"));
    }
}
