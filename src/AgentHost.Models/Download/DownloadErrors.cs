using System.Net;

namespace AgentHost.Models;

/// <summary>Builds the <see cref="ModelDownloadException"/>s a pull can end with, each saying what to do next.</summary>
internal static class DownloadErrors
{
    private const string ResumeAdvice = "Run the same command again to resume from there.";

    public static ModelDownloadException FromStatus(ModelReference file, Uri uri, HttpResponseMessage response, bool fromHub, bool tokenSent, Uri endpoint)
    {
        var code = response.StatusCode;
        var status = $"HTTP {(int)code}{HubDetail(response)}";
        var repoPage = file.Kind == ModelReferenceKind.HuggingFace ? $"{endpoint.AbsoluteUri.TrimEnd('/')}/{file.RepoId}" : null;

        switch (code)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when fromHub && tokenSent:
                return new(ModelDownloadErrorKind.Unauthorized, file,
                    $"Hugging Face refused the token in {ModelCacheOptions.HuggingFaceTokenVariable} for {file} ({status}). " +
                    $"Check that the token is valid and that your account was granted access to the repository at {repoPage ?? uri.Host}.", code);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when fromHub:
                return new(ModelDownloadErrorKind.Unauthorized, file,
                    $"Hugging Face requires authorization for {file} ({status}): the repository is gated or private, or does not exist. " +
                    $"Accept its terms at {repoPage ?? uri.Host}, create an access token in your Hugging Face settings and set " +
                    $"{ModelCacheOptions.HuggingFaceTokenVariable}; or download the file elsewhere and pass --model /path/to/file.gguf.", code);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                return new(ModelDownloadErrorKind.Unauthorized, file,
                    $"{uri.Host} refused access to {file} ({status}). The link may need credentials or may have expired; " +
                    "download the file in a browser and pass --model /path/to/file.gguf.", code);
            case HttpStatusCode.NotFound or HttpStatusCode.Gone when file.Kind == ModelReferenceKind.HuggingFace && fromHub:
                return new(ModelDownloadErrorKind.NotFound, file,
                    $"{file} was not found on Hugging Face ({status}). Check the owner, repository, file name (case matters) " +
                    $"and revision '{file.Revision}' at {repoPage}.", code);
            case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                return new(ModelDownloadErrorKind.NotFound, file, $"{file} was not found: {uri.Host} answered {status} for {uri}. Check the URL.", code);
            case HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError:
                return new(ModelDownloadErrorKind.Network, file,
                    $"{uri.Host} could not serve {file} right now ({status}). Try again later; a re-run resumes what was downloaded. " +
                    ModelDownloadException.OfflineAdvice, code);
            default:
                return new(ModelDownloadErrorKind.Network, file,
                    $"{uri.Host} answered {file} with an unexpected {status} {response.ReasonPhrase}. " + ModelDownloadException.OfflineAdvice, code);
        }
    }

    public static ModelDownloadException Unreachable(ModelReference file, Uri uri, Exception error) =>
        new(ModelDownloadErrorKind.Network, file,
            $"Could not download {file}: no connection to {uri.Host} ({error.Message}). " + ModelDownloadException.OfflineAdvice,
            innerException: error);

    public static ModelDownloadException Protocol(ModelReference file, Uri uri, string problem) =>
        new(ModelDownloadErrorKind.Network, file, $"Could not download {file} from {uri.Host}: {problem}. " + ModelDownloadException.OfflineAdvice);

    public static ModelDownloadException Interrupted(ModelReference file, long done, long? total, Exception? error) =>
        new(ModelDownloadErrorKind.Network, file,
            $"The download of {file} broke off after {Bytes(done, total)}{(error is null ? "" : $" ({error.Message})")}. {ResumeAdvice} " +
            ModelDownloadException.OfflineAdvice, innerException: error);

    public static ModelDownloadException Stalled(ModelReference file, long done, long? total, TimeSpan stallTimeout) =>
        new(ModelDownloadErrorKind.Network, file,
            $"The download of {file} stalled: no data for {stallTimeout.TotalSeconds:0} s after {Bytes(done, total)}. {ResumeAdvice} " +
            ModelDownloadException.OfflineAdvice);

    public static ModelDownloadException Integrity(ModelReference file, string problem) =>
        new(ModelDownloadErrorKind.Integrity, file,
            $"The download of {file} is corrupt: {problem}. The damaged file was deleted; run the command again to download it afresh. " +
            "If it fails again, a proxy or the server is altering the data.");

    public static ModelDownloadException Storage(ModelReference file, string path, Exception error) =>
        new(ModelDownloadErrorKind.Storage, file,
            $"Could not write {file} to {path}: {error.Message}. Free some disk space, or point {ModelCacheOptions.ModelsDirectoryVariable} " +
            "(or --models-dir) at a writable folder.", innerException: error);

    public static ModelDownloadException LockTimeout(ModelReference file, TimeSpan waited, Exception error) =>
        new(ModelDownloadErrorKind.LockTimeout, file,
            $"Another process has been downloading {file} for longer than {waited}; wait for it to finish, or stop it and try again.",
            innerException: error);

    public static ModelDownloadException LocalFileMissing(ModelReference reference) =>
        new(ModelDownloadErrorKind.NotFound, reference,
            $"The model file {reference.LocalPath} does not exist. Pass the path of an existing .gguf file, " +
            "or a reference such as hf:OWNER/REPO/FILE.gguf to download one.");

    // Hugging Face explains refusals in X-Error-Code (RepoNotFound, EntryNotFound, RevisionNotFound, GatedRepo) and X-Error-Message.
    private static string HubDetail(HttpResponseMessage response)
    {
        var parts = new List<string>();
        foreach (var name in new[] { "X-Error-Code", "X-Error-Message" })
            if (response.Headers.NonValidated.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } value)
                parts.Add(value.Length > 200 ? value[..200] + "…" : value);
        return parts.Count == 0 ? "" : ": " + string.Join(": ", parts);
    }

    private static string Bytes(long done, long? total) => total is { } size ? $"{done:N0} of {size:N0} bytes" : $"{done:N0} bytes";
}
