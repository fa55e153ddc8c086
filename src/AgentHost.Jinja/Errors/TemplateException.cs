namespace AgentHost.Jinja;

/// <summary>Base type for every error raised while parsing or rendering a chat template.</summary>
public abstract class TemplateException : Exception
{
    /// <summary>Creates the exception; <paramref name="line"/> and <paramref name="column"/> are 1-based (0 when unknown).</summary>
    protected TemplateException(string reason, int line, int column, Exception? inner = null)
        : base(Format(reason, line, column), inner)
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>The problem, without the location prefix.</summary>
    public string Reason { get; }

    /// <summary>1-based template line of the problem, or 0 when it has no position.</summary>
    public int Line { get; }

    /// <summary>1-based template column of the problem, or 0 when it has no position.</summary>
    public int Column { get; }

    private static string Format(string reason, int line, int column) =>
        line > 0 ? $"{reason} (template line {line}, column {column})" : reason;
}

/// <summary>The template source is not valid Jinja (as accepted by llama.cpp's engine).</summary>
public sealed class TemplateSyntaxException : TemplateException
{
    /// <summary>Creates the exception for a problem at the given 1-based position.</summary>
    public TemplateSyntaxException(string reason, int line, int column) : base(reason, line, column) { }
}

/// <summary>Rendering failed: a type error, an unknown filter, a runaway recursion and the like.</summary>
public sealed class TemplateRuntimeException : TemplateException
{
    /// <summary>Creates the exception for a problem at the given 1-based position.</summary>
    public TemplateRuntimeException(string reason, int line, int column, Exception? inner = null)
        : base(reason, line, column, inner) { }
}

/// <summary>The template itself called <c>raise_exception(message)</c>.</summary>
public sealed class TemplateRaisedException : TemplateException
{
    /// <summary>Creates the exception carrying the template's own message.</summary>
    public TemplateRaisedException(string templateMessage, int line, int column)
        : base("Template raised: " + templateMessage, line, column)
    {
        TemplateMessage = templateMessage;
    }

    /// <summary>The message the template passed to <c>raise_exception</c>.</summary>
    public string TemplateMessage { get; }
}

/// <summary>An OpenAI-style conversation could not be turned into template input (llama.cpp rejects it the same way).</summary>
public sealed class ChatConversationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChatConversationException(string message, Exception? inner = null) : base(message, inner) { }
}
