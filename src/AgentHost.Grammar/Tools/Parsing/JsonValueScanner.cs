namespace AgentHost.Grammar;

/// <summary>Result of scanning for the end of a JSON object or array in a growing buffer.</summary>
internal enum ScanStatus
{
    /// <summary>The value ends at <c>End</c>.</summary>
    Complete,

    /// <summary>The buffer ends inside the value.</summary>
    Incomplete,

    /// <summary>The text is not a JSON object or array.</summary>
    Invalid,
}

/// <summary>Finds where a JSON object or array ends (bracket depth outside strings); full validation is left to the parser.</summary>
internal static class JsonValueScanner
{
    /// <summary>Scans the object/array starting at <paramref name="start"/>; <paramref name="end"/> is one past its last char.</summary>
    public static ScanStatus FindEnd(string text, int start, out int end)
    {
        end = start;
        if (start >= text.Length) return ScanStatus.Incomplete;
        if (text[start] is not '{' and not '[') return ScanStatus.Invalid;
        var stack = new Stack<char>();
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '{': stack.Push('}'); break;
                case '[': stack.Push(']'); break;
                case '}' or ']':
                    if (stack.Count == 0 || stack.Pop() != c) return ScanStatus.Invalid;
                    if (stack.Count == 0)
                    {
                        end = i + 1;
                        return ScanStatus.Complete;
                    }
                    break;
            }
        }
        return ScanStatus.Incomplete;
    }

    /// <summary>Index of the first non-whitespace char at or after <paramref name="pos"/> (or the length).</summary>
    public static int SkipWhitespace(string text, int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        return pos;
    }
}
