using System.Diagnostics.CodeAnalysis;

namespace AgentHost.Models;

/// <summary>
/// A parsed model reference: a local path, a Hugging Face file (<c>hf:OWNER/REPO/FILE.gguf[@REVISION]</c>) or a plain
/// http(s) URL. A split GGUF (<c>-00001-of-0000N.gguf</c>) names its whole set; see <see cref="Parts"/>.
/// Two references are equal when their canonical text (<see cref="ToString"/>) is equal.
/// </summary>
public sealed class ModelReference : IEquatable<ModelReference>
{
    /// <summary>The revision used when an hf: reference names none.</summary>
    public const string DefaultRevision = "main";

    private readonly string _canonical;
    private readonly string _splitPrefix = "";
    private readonly string _splitExtension = "";

    private ModelReference(
        ModelReferenceKind kind, string? localPath, string? owner, string? repo, string? filePath, string? revision, Uri? url,
        string fileName)
    {
        Kind = kind;
        LocalPath = localPath;
        Owner = owner;
        Repo = repo;
        FilePath = filePath;
        Revision = revision;
        Url = url;
        FileName = fileName;
        if (GgufSplit.TryParse(fileName, out var split, out _splitPrefix, out _splitExtension)) Split = split;
        _canonical = kind switch
        {
            ModelReferenceKind.HuggingFace => $"hf:{owner}/{repo}/{filePath}" + (revision == DefaultRevision ? "" : "@" + revision),
            ModelReferenceKind.Url => url!.AbsoluteUri,
            _ => localPath!,
        };
    }

    /// <summary>Which of the three forms this is.</summary>
    public ModelReferenceKind Kind { get; }

    /// <summary>The full path, for <see cref="ModelReferenceKind.LocalPath"/>; otherwise null.</summary>
    public string? LocalPath { get; }

    /// <summary>The repository owner (user or organisation), for Hugging Face references.</summary>
    public string? Owner { get; }

    /// <summary>The repository name, for Hugging Face references.</summary>
    public string? Repo { get; }

    /// <summary>The file's path inside the repository (may contain '/'), for Hugging Face references.</summary>
    public string? FilePath { get; }

    /// <summary>Branch, tag or commit, for Hugging Face references (default <see cref="DefaultRevision"/>); otherwise null.</summary>
    public string? Revision { get; }

    /// <summary>The URL, for <see cref="ModelReferenceKind.Url"/> references.</summary>
    public Uri? Url { get; }

    /// <summary>The file name alone (last path segment).</summary>
    public string FileName { get; }

    /// <summary>The position in a split GGUF set, when the file name has the <c>-NNNNN-of-NNNNN.gguf</c> shape.</summary>
    public GgufSplit? Split { get; }

    /// <summary>"OWNER/REPO" for Hugging Face references; otherwise null.</summary>
    public string? RepoId => Kind == ModelReferenceKind.HuggingFace ? $"{Owner}/{Repo}" : null;

    /// <summary>
    /// Every file that makes up the model, in part order: the whole split set when <see cref="Split"/> is set,
    /// otherwise just this reference.
    /// </summary>
    public IReadOnlyList<ModelReference> Parts =>
        Split is { } split
            ? Enumerable.Range(1, split.Count).Select(part => part == split.Part ? this : WithFileName(GgufSplit.FileName(_splitPrefix, part, split.Count, _splitExtension))).ToArray()
            : [this];

    /// <summary>The file a loader opens: part 1 of a split set, otherwise this reference.</summary>
    public ModelReference FirstPart => Split is { Part: > 1 } ? Parts[0] : this;

    /// <summary>Parses a path, <c>hf:</c> reference or URL; throws <see cref="InvalidModelReferenceException"/> naming the problem.</summary>
    public static ModelReference Parse(string text) => ModelReferenceParser.Parse(text);

    /// <summary>Parses like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ModelReference? reference)
    {
        reference = null;
        if (text is null) return false;
        try
        {
            reference = Parse(text);
            return true;
        }
        catch (InvalidModelReferenceException)
        {
            return false;
        }
    }

    /// <summary>
    /// The URL to download from: the resolve URL under <paramref name="huggingFaceEndpoint"/> for Hugging Face references,
    /// <see cref="Url"/> for URL references.
    /// </summary>
    /// <exception cref="InvalidOperationException">For a local path, which is never downloaded.</exception>
    public Uri GetDownloadUri(Uri huggingFaceEndpoint)
    {
        ArgumentNullException.ThrowIfNull(huggingFaceEndpoint);
        switch (Kind)
        {
            case ModelReferenceKind.HuggingFace:
                var file = string.Join('/', FilePath!.Split('/').Select(Uri.EscapeDataString));
                var baseText = huggingFaceEndpoint.AbsoluteUri.TrimEnd('/');
                return new Uri($"{baseText}/{Owner}/{Repo}/resolve/{Uri.EscapeDataString(Revision!)}/{file}");
            case ModelReferenceKind.Url:
                return Url!;
            default:
                throw new InvalidOperationException($"'{this}' is a local file; there is nothing to download.");
        }
    }

    internal static ModelReference Local(string fullPath) =>
        new(ModelReferenceKind.LocalPath, fullPath, null, null, null, null, null, Path.GetFileName(fullPath));

    internal static ModelReference HuggingFace(string owner, string repo, string filePath, string revision) =>
        new(ModelReferenceKind.HuggingFace, null, owner, repo, filePath, revision, null, filePath[(filePath.LastIndexOf('/') + 1)..]);

    internal static ModelReference FromUrl(Uri url, string fileName) =>
        new(ModelReferenceKind.Url, null, null, null, null, null, url, fileName);

    /// <summary>The same reference with another file name in the same folder (used to expand split sets).</summary>
    private ModelReference WithFileName(string fileName)
    {
        switch (Kind)
        {
            case ModelReferenceKind.HuggingFace:
                var folder = FilePath!.Length > FileName.Length ? FilePath[..^FileName.Length] : "";
                return HuggingFace(Owner!, Repo!, folder + fileName, Revision!);
            case ModelReferenceKind.Url:
                var builder = new UriBuilder(Url!);
                var path = builder.Path;
                builder.Path = path[..(path.LastIndexOf('/') + 1)] + Uri.EscapeDataString(fileName);
                return FromUrl(builder.Uri, fileName);
            default:
                return Local(Path.Combine(Path.GetDirectoryName(LocalPath!) ?? "", fileName));
        }
    }

    /// <summary>The canonical text: <c>hf:OWNER/REPO/FILE[@REVISION]</c> (revision omitted when "main"), the URL, or the full path.</summary>
    public override string ToString() => _canonical;

    /// <inheritdoc />
    public bool Equals(ModelReference? other) =>
        other is not null && Kind == other.Kind && string.Equals(_canonical, other._canonical, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ModelReference);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_canonical));
}
