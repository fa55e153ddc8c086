using System.Net;

namespace AgentHost.Models;

/// <summary>
/// A model could not be fetched. <see cref="Kind"/> says why; the message names the reference and says what to do
/// (set HF_TOKEN, check the name, run again to resume, or download elsewhere and pass --model).
/// </summary>
public sealed class ModelDownloadException : Exception
{
    /// <summary>The advice appended to every network failure.</summary>
    public const string OfflineAdvice =
        "If this machine has no network, download the file elsewhere and pass --model /path/to/file.gguf. " +
        "Behind a proxy, set HTTPS_PROXY; for a Hugging Face mirror, set HF_ENDPOINT.";

    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why the download failed.</param>
    /// <param name="reference">The reference being fetched, if known.</param>
    /// <param name="message">The full, user-facing message.</param>
    /// <param name="statusCode">The HTTP status the server answered with, if any.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ModelDownloadException(
        ModelDownloadErrorKind kind, ModelReference? reference, string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Reference = reference;
        StatusCode = statusCode;
    }

    /// <summary>Why the download failed.</summary>
    public ModelDownloadErrorKind Kind { get; }

    /// <summary>The reference (the file, for one part of a split set) being fetched.</summary>
    public ModelReference? Reference { get; }

    /// <summary>The HTTP status, when the server answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
