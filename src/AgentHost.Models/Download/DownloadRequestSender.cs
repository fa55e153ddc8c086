using System.Net;
using System.Net.Http.Headers;

namespace AgentHost.Models;

/// <summary>
/// Sends one download request and follows redirects itself: the hub's 302 carries the checksum headers that an
/// automatic redirect would hide, and the Hugging Face token must reach only the hub, never the file host it redirects to.
/// Error statuses become <see cref="ModelDownloadException"/>s.
/// </summary>
internal sealed class DownloadRequestSender(HttpClient http, ModelCacheOptions options)
{
    private const int MaxRedirects = 10;
    private static readonly ProductInfoHeaderValue UserAgent = new("AgentHost", "1.0");

    /// <summary>The final response (2xx, or 416 for a range beyond the end), the metadata of every hop, and the URL that answered.</summary>
    public async Task<(HttpResponseMessage Response, RemoteFileMetadata Metadata, Uri Url)> SendAsync(
        HttpMethod method, ModelReference file, long rangeStart, CancellationToken cancellationToken)
    {
        var uri = file.GetDownloadUri(options.HuggingFaceEndpoint);
        var metadata = new RemoteFileMetadata();
        for (var hop = 0; ; hop++)
        {
            var toHub = IsHub(uri);
            var tokenSent = false;
            HttpResponseMessage response;
            using (var request = new HttpRequestMessage(method, uri))
            {
                request.Headers.UserAgent.Add(UserAgent);
                if (rangeStart > 0) request.Headers.Range = new RangeHeaderValue(rangeStart, null);
                if (toHub && options.HuggingFaceToken is { Length: > 0 } token)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    tokenSent = true;
                }

                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    throw DownloadErrors.Unreachable(file, uri, e);
                }
                catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw DownloadErrors.Unreachable(file, uri, new TimeoutException($"no answer within {http.Timeout.TotalSeconds:0} s", e));
                }
            }

            metadata.Absorb(response);
            if (IsRedirect(response.StatusCode))
            {
                var location = response.Headers.Location;
                response.Dispose();
                if (location is null) throw DownloadErrors.Protocol(file, uri, $"a {(int)response.StatusCode} redirect without a Location");
                if (hop >= MaxRedirects) throw DownloadErrors.Protocol(file, uri, $"more than {MaxRedirects} redirects");
                var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (uri.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                    throw DownloadErrors.Protocol(file, uri, $"refused a redirect from https to {next.Scheme} ({next.Host})");
                uri = next;
                continue;
            }

            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                return (response, metadata, uri);

            using (response) throw DownloadErrors.FromStatus(file, uri, response, toHub, tokenSent, options.HuggingFaceEndpoint);
        }
    }

    /// <summary>Same scheme, host and port as the configured Hugging Face endpoint.</summary>
    private bool IsHub(Uri uri) =>
        Uri.Compare(uri, options.HuggingFaceEndpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static bool IsRedirect(HttpStatusCode code) =>
        code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
