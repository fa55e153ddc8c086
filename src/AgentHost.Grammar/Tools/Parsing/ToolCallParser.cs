namespace AgentHost.Grammar;

/// <summary>Parses complete model replies into tool calls and assistant text.</summary>
public static class ToolCallParser
{
    /// <summary>Parses <paramref name="output"/> written in <paramref name="format"/>.</summary>
    public static ToolCallParseResult Parse(ToolCallFormat format, string output, Func<string>? idFactory = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.Parse(output, idFactory);
    }
}
