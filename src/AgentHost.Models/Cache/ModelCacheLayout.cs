using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Models;

/// <summary>
/// Maps references to paths inside the cache folder:
/// <c>hf/OWNER/REPO/REVISION/FILE</c>, <c>url/HOST/HASH/FILE</c>, the index at <c>index.json</c>, and lock files under <c>.locks/</c>.
/// </summary>
internal static class ModelCacheLayout
{
    public const string IndexFileName = "index.json";
    public const string LocksFolderName = ".locks";

    /// <summary>The cache-relative path of one remote file (one part of a split set).</summary>
    public static string RelativePath(ModelReference file) => file.Kind switch
    {
        ModelReferenceKind.HuggingFace => Path.Combine(
            ["hf", file.Owner!, file.Repo!, EscapeRevision(file.Revision!), .. file.FilePath!.Split('/')]),
        ModelReferenceKind.Url => Path.Combine("url", HostFolder(file.Url!), FolderHash(file.Url!), file.FileName),
        _ => throw new InvalidOperationException($"'{file}' is a local file and has no place in the cache."),
    };

    /// <summary>
    /// The lock file guarding one cache path. Locks live apart from the models and are never deleted: deleting a lock file
    /// while another process is opening it would let two processes each lock a different file of the same name.
    /// </summary>
    public static string LockPath(string root, string finalPath)
    {
        var relative = Path.GetRelativePath(root, finalPath).Replace('\\', '/');
        return Path.Combine(root, LocksFolderName, ShortHash(relative, 32) + ".lock");
    }

    public static string IndexLockPath(string root) => Path.Combine(root, LocksFolderName, "index.lock");

    // refs/pr/1 stays one folder.
    private static string EscapeRevision(string revision) => revision.Replace("/", "%2F", StringComparison.Ordinal);

    private static string HostFolder(Uri url)
    {
        var host = url.IdnHost.Replace(':', '_').Trim('[', ']');
        return url.IsDefaultPort ? host : $"{host}_{url.Port}";
    }

    // Files of one URL folder (a split set) share a folder; different folders on one host do not collide.
    private static string FolderHash(Uri url)
    {
        var path = url.AbsolutePath;
        var folder = $"{url.Scheme}://{url.Authority}{path[..(path.LastIndexOf('/') + 1)]}";
        return ShortHash(folder, 16);
    }

    private static string ShortHash(string text, int hexChars) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..hexChars];
}
