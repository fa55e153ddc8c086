namespace AgentHost.Jinja;

/// <summary>Maps offsets in a template source to 1-based line and column numbers for error messages.</summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string text)
    {
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = starts.ToArray();
    }

    public string Text { get; }

    public (int Line, int Column) LineColumn(int pos)
    {
        pos = Math.Clamp(pos, 0, Text.Length);
        var idx = Array.BinarySearch(_lineStarts, pos);
        if (idx < 0) idx = ~idx - 1;
        return (idx + 1, pos - _lineStarts[idx] + 1);
    }
}
