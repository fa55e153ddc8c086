using System.Text;
using System.Text.Json;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Parsing;

/// <summary>
/// Turns a tagged parse tree into a message: content and reasoning spans are concatenated; a tool call is assembled
/// from its name and either a whole JSON arguments object or argument name/value pairs (XML-style formats), strings
/// quoted, Python literals turned into JSON.
/// </summary>
public class ChatMessageMapper
{
    private readonly StringBuilder _content = new();
    private readonly StringBuilder _reasoning = new();
    private readonly List<ToolCallBuilder> _calls = [];
    private ToolCallBuilder? _current;
    private int _argCount;
    private bool _closingQuotePending;

    public ParsedChatMessage Map(IReadOnlyList<PegAstNode> nodes)
    {
        foreach (var n in nodes) Visit(n);
        if (_current is { Added: false, Name.Length: > 0 } pending)
        {
            if (_closingQuotePending && pending.Args.Length > 0) pending.Args.Append('"');
            _calls.Add(pending);
        }
        var reasoning = _reasoning.ToString();
        if (string.IsNullOrWhiteSpace(reasoning)) reasoning = "";
        return new ParsedChatMessage(_content.ToString(), reasoning,
            [.. _calls.Select(c => new ParsedChatToolCall(c.Name, c.Args.ToString(), c.Id, c.Closed))]);
    }

    protected virtual void Visit(PegAstNode node)
    {
        var callsBefore = _calls.Count;
        MapNode(node);
        foreach (var c in node.Children) Visit(c);
        // A whole tool node (not cut off by the end of input) is a finished call, even in formats without a closer.
        if (node.Tag == ChatTags.Tool && !node.IsPartial)
        {
            if (_current is { Added: false, Name.Length: > 0 } open)
            {
                _calls.Add(open);
                open.Added = true;
            }
            for (var i = callsBefore; i < _calls.Count; i++) _calls[i].Closed = true;
            if (_current is { Added: true }) _current = null;
        }
    }

    protected void MapNode(PegAstNode node)
    {
        switch (node.Tag)
        {
            case ChatTags.Reasoning:
                _reasoning.Append(node.Text);
                break;
            case ChatTags.Content:
                _content.Append(node.Text);
                break;
            case ChatTags.ToolOpen:
                _current = new ToolCallBuilder();
                _argCount = 0;
                _closingQuotePending = false;
                break;
            case ChatTags.ToolId when _current is not null:
                var id = node.Text.TrimEnd();
                if (id.Length >= 2 && id[0] == '"' && id[^1] == '"') id = id[1..^1];
                _current.Id = id;
                break;
            case ChatTags.ToolName when _current is not null:
                _current.Name = node.Text.TrimEnd();
                if (_current.Args.Length == 0) _current.Args.Append('{');
                if (!_current.Added)
                {
                    _calls.Add(_current);
                    _current.Added = true;
                }
                break;
            case ChatTags.ToolArgs when _current is not null:
                var text = node.Text.TrimEnd();
                if (text.StartsWith('{'))
                {
                    _current.Args.Clear().Append(text);
                }
                break;
            case ChatTags.ToolArgOpen:
                _closingQuotePending = false;
                break;
            case ChatTags.ToolArgName when _current is not null:
                if (_current.Args.Length == 0) _current.Args.Append('{');
                if (_argCount > 0) _current.Args.Append(',');
                _current.Args.Append(JsonSerializer.Serialize(node.Text.Trim())).Append(':');
                _argCount++;
                break;
            case ChatTags.ToolArgStringValue when _current is not null:
                if (!_closingQuotePending)
                {
                    _current.Args.Append('"');
                    _closingQuotePending = true;
                }
                _current.Args.Append(JsonStringInner(node.Text));
                break;
            case ChatTags.ToolArgValue when _current is not null:
                if (node.Text.Length > 0) _current.Args.Append(NormalizeValue(node.Text, node.IsPartial));
                break;
            case ChatTags.ToolArgClose when _current is not null:
                if (_closingQuotePending)
                {
                    _current.Args.Append('"');
                    _closingQuotePending = false;
                }
                break;
            case ChatTags.ToolClose when _current is not null:
                if (_closingQuotePending)
                {
                    _current.Args.Append('"');
                    _closingQuotePending = false;
                }
                for (var d = BraceDepth(_current.Args.ToString()); d > 0; d--) _current.Args.Append('}');
                if (!_current.Added && _current.Name.Length > 0)
                {
                    _calls.Add(_current);
                    _current.Added = true;
                }
                _current = null;
                break;
        }
    }

    /// <summary>Adds a call a derived mapper assembled itself (formats whose arguments are nested markup).</summary>
    protected void AddToolCall(string name, string arguments, string id, bool complete) =>
        _calls.Add(new ToolCallBuilder { Name = name, Id = id, Added = true, Closed = complete }.Append(arguments));

    /// <summary>JSON text of a written value: JSON as it is, Python literals converted.</summary>
    internal static string NormalizeValue(string text, bool partial)
    {
        var trimmed = text.Trim();
        if (partial) return PythonLiterals.ToJsonPrefix(trimmed);
        try
        {
            using var _ = JsonDocument.Parse(trimmed);
            return trimmed;
        }
        catch (JsonException)
        {
            return PythonLiterals.ToJson(trimmed) ?? JsonSerializer.Serialize(trimmed);
        }
    }

    internal static string JsonStringInner(string s)
    {
        var quoted = JsonSerializer.Serialize(s, JsonOptions.Relaxed);
        return quoted[1..^1];
    }

    private static int BraceDepth(string s)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c == '{') depth++;
            else if (c == '}') depth--;
        }
        return depth;
    }

    private sealed class ToolCallBuilder
    {
        public string Name { get; set; } = "";
        public string Id { get; set; } = "";
        public StringBuilder Args { get; } = new();
        public bool Added { get; set; }
        public bool Closed { get; set; }

        public ToolCallBuilder Append(string text)
        {
            Args.Append(text);
            return this;
        }
    }
}

internal static class JsonOptions
{
    /// <summary>Keeps non-ASCII text as it is (arguments stay readable: 退款, not \u9000\u6B3E).</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
