using System.Globalization;
using System.Net;

namespace AgentHost.Models;

/// <summary>
/// What the server said about the file, gathered across redirect hops. Hugging Face's resolve endpoint answers an LFS
/// file with a 302 to its file host carrying <c>X-Linked-Etag</c> (the file's SHA-256, quoted), <c>X-Linked-Size</c> and
/// <c>X-Repo-Commit</c>; the file host's own response only knows its byte range.
/// </summary>
internal sealed class RemoteFileMetadata
{
    /// <summary>The SHA-256 (64 lowercase hex) announced in X-Linked-Etag, if any.</summary>
    public string? Sha256 { get; private set; }

    /// <summary>The size announced in X-Linked-Size, if any.</summary>
    public long? LinkedSize { get; private set; }

    /// <summary>The ETag of the last response that had one.</summary>
    public string? ETag { get; private set; }

    /// <summary>The commit the revision resolved to (X-Repo-Commit), if any.</summary>
    public string? Commit { get; private set; }

    /// <summary>Identifies the version of the remote file, to tell whether an interrupted download can be continued.</summary>
    public string? Validator => Sha256 ?? ETag;

    /// <summary>Takes what one response (a redirect or the final answer) says; the first hop's linked values win.</summary>
    public void Absorb(HttpResponseMessage response)
    {
        var headers = response.Headers;
        Sha256 ??= ParseSha256(First(headers, "X-Linked-Etag"));
        LinkedSize ??= long.TryParse(First(headers, "X-Linked-Size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null;
        Commit ??= First(headers, "X-Repo-Commit");
        ETag = First(headers, "ETag") ?? ETag;
    }

    /// <summary>The whole file's size: X-Linked-Size, else the total of a 206's Content-Range, else a 200's Content-Length.</summary>
    public long? TotalSize(HttpResponseMessage response) =>
        LinkedSize ?? response.StatusCode switch
        {
            HttpStatusCode.PartialContent => response.Content.Headers.ContentRange?.Length,
            HttpStatusCode.OK => response.Content.Headers.ContentLength,
            _ => null,
        };

    /// <summary>The SHA-256 in an ETag-style value (quotes and a weak W/ prefix removed), or null if it is not 64 hex digits.</summary>
    public static string? ParseSha256(string? etag)
    {
        if (etag is null) return null;
        var value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.OrdinalIgnoreCase)) value = value[2..];
        value = value.Trim('"');
        return value.Length == 64 && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : null;
    }

    private static string? First(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
