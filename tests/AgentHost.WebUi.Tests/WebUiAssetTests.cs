using System.Net;
using AgentHost.WebUi.Tests.Support;

namespace AgentHost.WebUi.Tests;

/// <summary>The page and its files as HTTP serves them: embedded, open without the key, typed, cacheable, under a CSP.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebUiAssetTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/ui/app.css", "text/css")]
    [InlineData("/ui/js/app.js", "text/javascript")]
    [InlineData("/ui/vendor/markdown-it.umd.min.js", "text/javascript")]
    [InlineData("/ui/vendor/purify.min.js", "text/javascript")]
    public async Task FilesAreServedWithoutTheKeyWithTypeAndETag(string path, string type)
    {
        using var http = fixture.Stories.CreateHttpClient(withKey: false);
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var etag = response.Headers.ETag!;
        if (type == "text/html")
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // Unchanged: 304, no body.
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task UnknownFilesAre404AndTheApiStillNeedsTheKey()
    {
        using var http = fixture.Stories.CreateHttpClient(withKey: false);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/nope.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/../appsettings.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/models")).StatusCode);
        // The page references only files it serves itself: no CDN.
        var html = await http.GetStringAsync("/");
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }
}
