using System.Collections.Concurrent;
using AgentHost.Grammar;
using Microsoft.Extensions.Logging;

namespace AgentHost.Llama.Chat;

/// <summary>
/// Logs each schema keyword the generation grammar cannot enforce once per process, not once per request: the same
/// tools and response formats come back with every request. Pass <see cref="Options"/> wherever a grammar is built
/// from a tool or response-format schema.
/// </summary>
public sealed class SchemaLooseningLog
{
    // Bounded so a client sending ever-new schemas cannot grow it without limit; past it, repeats are logged again.
    private const int MaxRemembered = 4096;

    private readonly ILogger? _logger;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    public SchemaLooseningLog(ILogger? logger)
    {
        _logger = logger;
        Options = new JsonSchemaGrammarOptions { Loosened = Report };
    }

    /// <summary>Schema options whose loosened keywords reach this log (the other settings are the defaults).</summary>
    public JsonSchemaGrammarOptions Options { get; }

    /// <summary><paramref name="options"/> with loosened keywords reported to this log.</summary>
    public JsonSchemaGrammarOptions With(JsonSchemaGrammarOptions options) => options with { Loosened = Report };

    private void Report(SchemaLoosening loosening)
    {
        if (_logger is null || !_logger.IsEnabled(LogLevel.Warning)) return;
        var key = loosening.SchemaPath + "\n" + loosening.Keyword + "\n" + loosening.Schema?.ToJsonString();
        if (_seen.Count >= MaxRemembered) _seen.Clear();
        if (!_seen.TryAdd(key, 0)) return;
        _logger.LogWarning(
            "JSON Schema keyword '{Keyword}' at {SchemaPath} is not enforced by the generation grammar ({Reason}); the grammar accepts any value of the declared type there, and tool arguments are validated against the full schema before the call",
            loosening.Keyword, loosening.SchemaPath, loosening.Reason);
    }
}
