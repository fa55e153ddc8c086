using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace AgentHost.Server.WebUi;

/// <summary>One file of the web UI, read from the assembly's embedded resources, with its content type and ETag.</summary>
internal sealed record WebUiAsset(string Path, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The web UI's files, embedded in this assembly under the logical name <c>webui/&lt;path&gt;</c> (see the csproj):
/// read once, so serving them needs no disk and no network (works offline, no CDN).
/// </summary>
internal static class WebUiAssets
{
    private const string Prefix = "webui/";

    private static readonly Lazy<FrozenDictionary<string, WebUiAsset>> All = new(Load);

    public static WebUiAsset? Find(string path) => All.Value.GetValueOrDefault(path);

    public static IEnumerable<string> Paths => All.Value.Keys;

    private static FrozenDictionary<string, WebUiAsset> Load()
    {
        var assembly = typeof(WebUiAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, WebUiAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var path = normalized[Prefix.Length..];
            var content = Read(assembly, name);
            var type = types.TryGetContentType(path, out var t) ? t : "application/octet-stream";
            // Text assets say their charset, so a browser never guesses it.
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "application/json") type += "; charset=utf-8";
            assets[path] = new WebUiAsset(path, content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
