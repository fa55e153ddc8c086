using System.Text.RegularExpressions;

namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>
/// Mirrors how llama.cpp's lazy grammar uses trigger patterns (llama_grammar_trigger_pattern::find): a pattern of the
/// form ^...$ must match the whole buffer, any other is searched; the grammar starts at the first non-empty capture
/// group, or at the match.
/// </summary>
internal static class LazyTrigger
{
    public static int? Find(IEnumerable<string> patterns, string buffer)
    {
        foreach (var pattern in patterns)
        {
            var regex = new Regex(pattern, RegexOptions.ECMAScript);
            var match = regex.Match(buffer);
            if (!match.Success) continue;
            if (pattern.StartsWith('^') && pattern.EndsWith('$') && match.Length != buffer.Length) continue;
            for (var g = 1; g < match.Groups.Count; g++)
                if (match.Groups[g].Length > 0) return match.Groups[g].Index;
            return match.Index;
        }
        return null;
    }

    /// <summary>
    /// Feeds <paramref name="output"/> char by char like tokens and returns the text the grammar sees once a trigger
    /// fires (from the trigger start to the end of the output), with the buffer at the moment of triggering.
    /// </summary>
    public static (string Constrained, string AtTrigger)? Simulate(IEnumerable<string> patterns, string output)
    {
        var list = patterns.ToList();
        for (var k = 1; k <= output.Length; k++)
        {
            if (Find(list, output[..k]) is { } start) return (output[start..], output[start..k]);
        }
        return null;
    }
}
