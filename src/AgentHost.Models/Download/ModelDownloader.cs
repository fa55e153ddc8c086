using System.Buffers;
using System.Net;
using System.Security.Cryptography;

namespace AgentHost.Models;

/// <summary>
/// Downloads models into a <see cref="ModelCache"/>. Each file is streamed to <c>FILE.partial</c>, resumed with an HTTP
/// Range request after an interruption, checked against the server's SHA-256 (Hugging Face's X-Linked-Etag) or size,
/// and renamed to its final name only when complete and verified. A lock file per file makes concurrent pulls of the
/// same file, in this or other processes, wait for one download instead of writing the same file twice.
/// </summary>
public sealed class ModelDownloader : IDisposable
{
    private const int BufferSize = 1 << 20;
    private readonly ModelCache _cache;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly DownloadRequestSender _sender;

    /// <summary>Creates a downloader for <paramref name="cache"/>.</summary>
    /// <param name="cache">Where files go; its options supply the Hugging Face endpoint, token and timeouts.</param>
    /// <param name="httpClient">
    /// The client to use; by default one from <see cref="CreateHttpClient"/>, disposed with this downloader. A client of your own
    /// should not follow redirects automatically, or the SHA-256 on Hugging Face's redirect is lost and only the size is checked.
    /// </param>
    public ModelDownloader(ModelCache cache, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? CreateHttpClient();
        _sender = new DownloadRequestSender(_http, cache.Options);
    }

    /// <summary>The cache this downloader fills.</summary>
    public ModelCache Cache => _cache;

    /// <summary>
    /// An HttpClient suited to downloads: redirects left to the downloader, no content decoding (Range offsets count the
    /// file's own bytes), and the default proxy, which honours HTTP_PROXY, HTTPS_PROXY and NO_PROXY.
    /// </summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            // UseProxy stays at its default (true) with no Proxy set, so the environment's proxy settings apply.
        })
        {
            // Covers the wait for response headers only; a body that stops flowing is caught by ModelCacheOptions.StallTimeout.
            Timeout = TimeSpan.FromMinutes(2),
        };

    /// <summary>
    /// Makes sure every file of <paramref name="reference"/> is in the cache, downloading what is missing, and returns
    /// the path to load (part 1 of a split set). A local reference is returned as is if the file exists.
    /// Cancelling keeps the partial download so the next pull resumes it.
    /// </summary>
    /// <exception cref="ModelDownloadException">The download failed; <see cref="ModelDownloadException.Kind"/> says why.</exception>
    /// <exception cref="OperationCanceledException">The pull was cancelled.</exception>
    public async Task<string> PullAsync(
        ModelReference reference, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == ModelReferenceKind.LocalPath)
            return File.Exists(reference.FirstPart.LocalPath) ? reference.FirstPart.LocalPath! : throw DownloadErrors.LocalFileMissing(reference.FirstPart);

        var parts = reference.Parts;
        var downloaded = false;
        for (var i = 0; i < parts.Count; i++)
        {
            var reporter = new DownloadProgressReporter(progress, parts[i].FileName, i + 1, parts.Count, _cache.TimeProvider);
            downloaded |= await PullFileAsync(parts[i], reporter, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (downloaded) _cache.RecordDownload(reference);
            else _cache.Touch(reference);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            // The index only holds timestamps for "model list"; the model itself is in place.
        }
        return _cache.GetPath(reference);
    }

    /// <summary>
    /// Asks the server about each file of a remote reference (size, SHA-256, commit) with HEAD requests, downloading nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The reference is a local path.</exception>
    /// <exception cref="ModelDownloadException">The server could not be reached or refused.</exception>
    public async Task<IReadOnlyList<RemoteModelFile>> ProbeAsync(ModelReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == ModelReferenceKind.LocalPath)
            throw new ArgumentException($"'{reference}' is a local file; there is no server to ask.", nameof(reference));

        var files = new List<RemoteModelFile>();
        foreach (var part in reference.Parts)
        {
            var (response, metadata, url) = await _sender.SendAsync(HttpMethod.Head, part, 0, cancellationToken).ConfigureAwait(false);
            using (response)
                files.Add(new RemoteModelFile(part, url, metadata.TotalSize(response), metadata.Sha256, metadata.Commit));
        }
        return files;
    }

    /// <summary>Releases the HttpClient if this downloader created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    /// <summary>Gets one file into the cache; false when it was already there.</summary>
    private async Task<bool> PullFileAsync(ModelReference file, DownloadProgressReporter reporter, CancellationToken cancellationToken)
    {
        var finalPath = _cache.GetFilePath(file);
        if (ReportIfPresent(finalPath, reporter)) return false;

        CacheFileLock fileLock;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            fileLock = await CacheFileLock.AcquireAsync(
                _cache.GetLockPath(finalPath), _cache.Options.LockWaitTimeout,
                () => reporter.Phase(DownloadPhase.WaitingForLock, 0, null), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw DownloadErrors.LockTimeout(file, _cache.Options.LockWaitTimeout, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DownloadErrors.Storage(file, finalPath, e);
        }

        using (fileLock)
        {
            // If we waited, the other process has most likely just finished this very file.
            if (ReportIfPresent(finalPath, reporter)) return false;
            await DownloadAsync(file, new PartialDownload(finalPath), reporter, cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>Fetches the file into its partial file, verifies it and renames it into place. The caller holds the file's lock.</summary>
    private async Task DownloadAsync(ModelReference file, PartialDownload partial, DownloadProgressReporter reporter, CancellationToken cancellationToken)
    {
        // A second attempt happens only after the partial file was found unusable and deleted, so it starts from zero.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var offset = partial.Length;
            var (response, metadata, url) = await _sender.SendAsync(HttpMethod.Get, file, offset, cancellationToken).ConfigureAwait(false);
            using (response)
            {
                var total = metadata.TotalSize(response);
                long start;
                switch (response.StatusCode)
                {
                    case HttpStatusCode.PartialContent when offset > 0:
                        var stored = partial.ReadValidator();
                        var sameVersion = stored is null || metadata.Validator is null || stored == metadata.Validator;
                        if (response.Content.Headers.ContentRange?.From != offset || !sameVersion)
                        {
                            // The server answered another range, or the file changed since the partial was written: start over.
                            Discard(file, partial);
                            continue;
                        }
                        start = offset;
                        break;
                    case HttpStatusCode.RequestedRangeNotSatisfiable when offset > 0:
                        // The partial file is as long as the remote one or longer: a run that stopped just before the rename, or a changed file.
                        total ??= response.Content.Headers.ContentRange?.Length;
                        if (total != offset)
                        {
                            Discard(file, partial);
                            continue;
                        }
                        start = offset;
                        break;
                    case HttpStatusCode.OK:
                        start = 0; // a fresh download, or a server that ignores Range: rewrite from the first byte
                        break;
                    default:
                        throw DownloadErrors.Protocol(file, url, $"unexpected HTTP {(int)response.StatusCode} {response.ReasonPhrase} to a download request");
                }

                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var checkHash = metadata.Sha256 is not null;
                try
                {
                    partial.WriteValidator(metadata.Validator);
                    if (start > 0 && checkHash)
                    {
                        reporter.Phase(DownloadPhase.Resuming, start, total);
                        await HashExistingAsync(partial.PartialPath, hash, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw DownloadErrors.Storage(file, partial.PartialPath, e);
                }

                var done = response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable
                    ? start
                    : await CopyBodyAsync(file, response, partial.PartialPath, start, total, hash, reporter, cancellationToken).ConfigureAwait(false);

                Verify(file, partial, done, total, checkHash ? metadata.Sha256 : null, hash);
                try
                {
                    partial.Complete();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw DownloadErrors.Storage(file, partial.FinalPath, e);
                }
                reporter.Phase(DownloadPhase.Completed, done, done);
                return;
            }
        }

        throw DownloadErrors.Protocol(file, file.GetDownloadUri(_cache.Options.HuggingFaceEndpoint),
            "the server kept answering resume requests inconsistently");
    }

    /// <summary>Appends the response body to the partial file, hashing as it goes; returns the file's length.</summary>
    private async Task<long> CopyBodyAsync(
        ModelReference file, HttpResponseMessage response, string partialPath, long start, long? total, IncrementalHash hash,
        DownloadProgressReporter reporter, CancellationToken cancellationToken)
    {
        var stallTimeout = _cache.Options.StallTimeout;
        FileStream output;
        try
        {
            // Unbuffered: every chunk reaches the file as it arrives, so an interruption loses nothing already received.
            output = new FileStream(partialPath, start > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DownloadErrors.Storage(file, partialPath, e);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var done = start;
        try
        {
            await using (output.ConfigureAwait(false))
            {
                reporter.Start(done, total);
                Stream body;
                try
                {
                    body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw DownloadErrors.Interrupted(file, done, total, e);
                }

                while (true)
                {
                    int read;
                    if (stallTimeout != Timeout.InfiniteTimeSpan) stall.CancelAfter(stallTimeout);
                    try
                    {
                        read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw DownloadErrors.Stalled(file, done, total, stallTimeout);
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException)
                    {
                        cancellationToken.ThrowIfCancellationRequested(); // a cancelled read may surface as a socket error
                        throw DownloadErrors.Interrupted(file, done, total, e);
                    }
                    if (read == 0) break;

                    try
                    {
                        // Not cancellable mid-write, so the file always ends on a whole chunk that the next resume can trust.
                        await output.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw DownloadErrors.Storage(file, partialPath, e);
                    }
                    hash.AppendData(buffer, 0, read);
                    done += read;
                    reporter.Bytes(done, total);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                try
                {
                    output.Flush(flushToDisk: true); // on disk before the rename makes it visible
                }
                catch (IOException e)
                {
                    throw DownloadErrors.Storage(file, partialPath, e);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return done;
    }

    /// <summary>Checks length and SHA-256; a bad file is deleted, a short one kept for resuming.</summary>
    private static void Verify(ModelReference file, PartialDownload partial, long done, long? total, string? expectedSha256, IncrementalHash hash)
    {
        if (total is { } size && done != size)
        {
            if (done < size) throw DownloadErrors.Interrupted(file, done, size, null);
            Discard(file, partial);
            throw DownloadErrors.Integrity(file, $"received {done:N0} bytes but the server announced {size:N0}");
        }

        if (expectedSha256 is null) return;
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual == expectedSha256) return;
        Discard(file, partial);
        throw DownloadErrors.Integrity(file, $"its SHA-256 is {actual} but the server announced {expectedSha256}");
    }

    private static async Task HashExistingAsync(string path, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true);
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Discard(ModelReference file, PartialDownload partial)
    {
        try
        {
            partial.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DownloadErrors.Storage(file, partial.PartialPath, e);
        }
    }

    private static bool ReportIfPresent(string finalPath, DownloadProgressReporter reporter)
    {
        if (!File.Exists(finalPath)) return false;
        var size = new FileInfo(finalPath).Length;
        reporter.Phase(DownloadPhase.Completed, size, size);
        return true;
    }
}
