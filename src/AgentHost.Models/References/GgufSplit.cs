using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentHost.Models;

/// <summary>
/// The position of one file in a split GGUF set, as named by llama.cpp's gguf-split:
/// <c>NAME-00002-of-00005.gguf</c> is part 2 of 5. llama.cpp loads the set from part 1 and finds the others beside it.
/// </summary>
/// <param name="Part">1-based part number.</param>
/// <param name="Count">Number of files in the set.</param>
public readonly record struct GgufSplit(int Part, int Count)
{
    private static readonly Regex SplitName = new(
        @"^(?<prefix>.+)-(?<part>\d{5})-of-(?<count>\d{5})(?<ext>\.gguf)$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Recognises a split file name; false for an ordinary name or impossible numbers (see <see cref="FindProblem"/>).</summary>
    internal static bool TryParse(string fileName, out GgufSplit split, out string prefix, out string extension)
    {
        split = default;
        prefix = extension = "";
        var match = SplitName.Match(fileName);
        if (!match.Success) return false;

        var part = int.Parse(match.Groups["part"].Value, CultureInfo.InvariantCulture);
        var count = int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        if (part < 1 || part > count) return false;

        split = new GgufSplit(part, count);
        prefix = match.Groups["prefix"].Value;
        extension = match.Groups["ext"].Value;
        return true;
    }

    /// <summary>Describes what is wrong when a name has the split shape but impossible numbers (part 0, or beyond the count); else null.</summary>
    internal static string? FindProblem(string fileName)
    {
        var match = SplitName.Match(fileName);
        if (!match.Success || TryParse(fileName, out _, out _, out _)) return null;
        return $"split GGUF name '{fileName}' says part {int.Parse(match.Groups["part"].Value, CultureInfo.InvariantCulture)} " +
               $"of {int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture)}; parts are numbered from 1 to the count";
    }

    /// <summary>The file name of part <paramref name="part"/> of the set, in llama.cpp's %05d naming.</summary>
    internal static string FileName(string prefix, int part, int count, string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{part:D5}-of-{count:D5}{extension}");
}
