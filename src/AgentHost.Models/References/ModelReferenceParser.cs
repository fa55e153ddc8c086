using System.Text.RegularExpressions;

namespace AgentHost.Models;

/// <summary>Turns reference text into a <see cref="ModelReference"/>, rejecting anything ambiguous or unsafe as a cache path.</summary>
internal static class ModelReferenceParser
{
    private const string HfPrefix = "hf:";

    // Hugging Face user, organisation and repository names.
    private static readonly Regex RepoName = new(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant);

    // Branches, tags and commit hashes; '/' allowed for refs such as refs/pr/1.
    private static readonly Regex RevisionText = new(@"^[A-Za-z0-9][A-Za-z0-9._/-]*$", RegexOptions.CultureInvariant);

    // Something that looks like scheme://, so "ftp://x" is refused instead of being taken as a relative path.
    private static readonly Regex OtherScheme = new(@"^[A-Za-z][A-Za-z0-9+.-]+://", RegexOptions.CultureInvariant);

    public static ModelReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0) throw new InvalidModelReferenceException(text, "it is empty");

        if (trimmed.StartsWith(HfPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var body = trimmed[HfPrefix.Length..];
            if (body.StartsWith("//", StringComparison.Ordinal)) body = body[2..];
            return ParseHuggingFace(trimmed, body);
        }

        if (trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return ParseUrl(trimmed);

        if (OtherScheme.IsMatch(trimmed))
            throw new InvalidModelReferenceException(text, $"the scheme '{trimmed[..trimmed.IndexOf(':')]}' is not supported (only hf:, http:// and https://)");

        return ParseLocal(text, trimmed);
    }

    private static ModelReference ParseHuggingFace(string text, string body)
    {
        var revision = ModelReference.DefaultRevision;
        var at = body.IndexOf('@');
        if (at >= 0)
        {
            revision = body[(at + 1)..];
            body = body[..at];
            if (revision.Length == 0) throw new InvalidModelReferenceException(text, "nothing follows '@'; give a branch, tag or commit, or drop the '@'");
            if (!RevisionText.IsMatch(revision) || revision.EndsWith('/') || revision.Contains("//", StringComparison.Ordinal) ||
                revision.Split('/').Contains(".."))
                throw new InvalidModelReferenceException(text, $"'{revision}' is not a valid revision (a branch, tag or commit hash)");
        }

        var segments = body.Split('/');
        if (segments.Length < 3)
            throw new InvalidModelReferenceException(text, "an hf: reference needs OWNER/REPO/FILE.gguf");
        var owner = segments[0];
        var repo = segments[1];
        foreach (var (name, what) in new[] { (owner, "owner"), (repo, "repository") })
            if (!RepoName.IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
                throw new InvalidModelReferenceException(text, $"'{name}' is not a valid Hugging Face {what} name");

        var fileSegments = segments[2..];
        foreach (var segment in fileSegments) ValidatePathSegment(text, segment);
        var filePath = string.Join('/', fileSegments);
        if (!filePath.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
            throw new InvalidModelReferenceException(text, $"'{filePath}' is not a .gguf file");
        ValidateSplit(text, fileSegments[^1]);

        return ModelReference.HuggingFace(owner, repo, filePath, revision);
    }

    private static ModelReference ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new InvalidModelReferenceException(text, "it is not a valid URL");

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (TryHuggingFaceWebUrl(text, uri, segments) is { } hf) return hf;

        if (uri.AbsolutePath.EndsWith('/') || segments.Length == 0)
            throw new InvalidModelReferenceException(text, "the URL does not end in a file name");
        var fileName = segments[^1];
        ValidatePathSegment(text, fileName);
        ValidateSplit(text, fileName);
        return ModelReference.FromUrl(uri, fileName);
    }

    /// <summary>
    /// https://huggingface.co/OWNER/REPO/resolve|blob/REVISION/FILE is read as the hf: reference it names, so it gets
    /// the token, the SHA-256 check and the same cache entry.
    /// </summary>
    private static ModelReference? TryHuggingFaceWebUrl(string text, Uri uri, string[] segments)
    {
        if (!uri.Host.Equals("huggingface.co", StringComparison.OrdinalIgnoreCase) || uri.Scheme != Uri.UriSchemeHttps) return null;
        if (segments.Length < 5 || (segments[2] != "resolve" && segments[2] != "blob")) return null;
        var body = $"{segments[0]}/{segments[1]}/{string.Join('/', segments[4..])}@{segments[3]}";
        return ParseHuggingFace(text, body);
    }

    private static ModelReference ParseLocal(string text, string trimmed)
    {
        var path = trimmed;
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'));
        try
        {
            var full = Path.GetFullPath(path);
            if (Path.EndsInDirectorySeparator(full) || Path.GetFileName(full).Length == 0)
                throw new InvalidModelReferenceException(text, "the path names a folder, not a file");
            return ModelReference.Local(full);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InvalidModelReferenceException(text, $"it is not a valid path ({e.Message})");
        }
    }

    private static void ValidateSplit(string text, string fileName)
    {
        if (GgufSplit.FindProblem(fileName) is { } problem) throw new InvalidModelReferenceException(text, problem);
    }

    /// <summary>Each part of a remote file path becomes part of a cache path, so nothing that could climb out of it is allowed.</summary>
    private static void ValidatePathSegment(string text, string segment)
    {
        if (segment.Length == 0)
            throw new InvalidModelReferenceException(text, "the file path has an empty segment ('//' or a trailing '/')");
        if (segment is "." or "..")
            throw new InvalidModelReferenceException(text, $"the file path may not contain '{segment}'");
        if (segment.Any(c => char.IsControl(c) || c is '\\' or '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|'))
            throw new InvalidModelReferenceException(text, $"'{segment}' contains a character that cannot be used in a file name");
    }
}
