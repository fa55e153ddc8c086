namespace AgentHost.Grammar;

/// <summary>Builds JSON pointers in URI-fragment form (<c>#/properties/a~1b</c>) for error messages and $ref.</summary>
internal static class SchemaPath
{
    /// <summary>The pointer of <paramref name="segment"/> below <paramref name="path"/>.</summary>
    public static string Child(string path, string segment) => path + "/" + segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>The pointer of array element <paramref name="index"/> below <paramref name="path"/>.</summary>
    public static string Child(string path, int index) => path + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Unescapes one pointer segment (<c>~1</c> is '/', <c>~0</c> is '~').</summary>
    public static string Unescape(string segment) => Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}
