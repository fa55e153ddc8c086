using System.Text;

namespace AgentHost.Jinja.Runtime;

/// <summary>A run of text and whether it came from user input (llama.cpp's input marking).</summary>
internal readonly record struct StringPart(bool IsInput, string Text);

/// <summary>
/// Immutable string made of parts, as llama.cpp's jinja::string. The part boundaries are
/// observable: capitalize/title transform each part on its own, so "ab" ~ "cd" titles to "AbCd".
/// </summary>
internal sealed class JinjaString
{
    public static readonly JinjaString Empty = new([]);

    private readonly StringPart[] _parts;
    private string? _text;

    public JinjaString(string text, bool isInput = false) : this([new StringPart(isInput, text)]) { }

    public JinjaString(StringPart[] parts) => _parts = parts;

    public IReadOnlyList<StringPart> Parts => _parts;

    /// <summary>Length in UTF-16 chars, cheap; used for size limits.</summary>
    public long CharLength => _text?.Length ?? _parts.Sum(p => (long)p.Text.Length);

    /// <summary>The concatenated text.</summary>
    public string Str => _text ??= _parts.Length switch
    {
        0 => "",
        1 => _parts[0].Text,
        _ => string.Concat(_parts.Select(p => p.Text)),
    };

    /// <summary>Length in UTF-8 bytes, as llama.cpp measures std::string.</summary>
    public int Length
    {
        get
        {
            var s = Str;
            foreach (var c in s)
                if (c >= 0x80) return Encoding.UTF8.GetByteCount(s);
            return s.Length;
        }
    }

    public bool AllPartsAreInput => _parts.All(p => p.IsInput);

    public bool IsUppercase => !Str.Any(char.IsAsciiLetterLower);

    public bool IsLowercase => !Str.Any(char.IsAsciiLetterUpper);

    public JinjaString Append(JinjaString other) => new([.. _parts, .. other._parts]);

    public JinjaString MarkInput() => new(_parts.Select(p => p with { IsInput = true }).ToArray());

    /// <summary>Marks every part as input when all parts of <paramref name="source"/> are input.</summary>
    public JinjaString MarkInputBasedOn(JinjaString source) => source.AllPartsAreInput ? MarkInput() : this;

    public JinjaString Uppercase() => Transform(AsciiUpper);

    public JinjaString Lowercase() => Transform(AsciiLower);

    public JinjaString Capitalize() => Transform(s => s.Length == 0 ? s : AsciiUpper(s[..1]) + AsciiLower(s[1..]));

    public JinjaString Titlecase() => Transform(s =>
    {
        var chars = s.ToCharArray();
        var capitalizeNext = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (IsCSpace(chars[i])) capitalizeNext = true;
            else if (capitalizeNext)
            {
                chars[i] = char.IsAsciiLetterLower(chars[i]) ? (char)(chars[i] - 32) : chars[i];
                capitalizeNext = false;
            }
            else chars[i] = char.IsAsciiLetterUpper(chars[i]) ? (char)(chars[i] + 32) : chars[i];
        }
        return new string(chars);
    });

    /// <summary>Strips C-locale whitespace (or <paramref name="chars"/>), dropping parts that become empty.</summary>
    public JinjaString Strip(bool left, bool right, string? chars = null)
    {
        bool Match(char c) => chars is null ? IsCSpace(c) : chars.Contains(c);
        var parts = _parts.ToList();
        if (parts.Count == 0) return this;
        if (left)
        {
            while (parts.Count > 0)
            {
                var t = parts[0].Text;
                var i = 0;
                while (i < t.Length && Match(t[i])) i++;
                if (i == t.Length)
                {
                    parts.RemoveAt(0);
                    continue;
                }
                parts[0] = parts[0] with { Text = t[i..] };
                break;
            }
        }
        if (right)
        {
            while (parts.Count > 0)
            {
                var t = parts[^1].Text;
                var end = t.Length;
                while (end > 0 && Match(t[end - 1])) end--;
                if (end == 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                    continue;
                }
                parts[^1] = parts[^1] with { Text = t[..end] };
                break;
            }
        }
        return new JinjaString(parts.ToArray());
    }

    /// <summary>isspace() in the C locale.</summary>
    public static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    private JinjaString Transform(Func<string, string> fn) => new(_parts.Select(p => p with { Text = fn(p.Text) }).ToArray());

    private static string AsciiUpper(string s) => string.Create(s.Length, s, static (span, src) =>
    {
        for (var i = 0; i < src.Length; i++) span[i] = char.IsAsciiLetterLower(src[i]) ? (char)(src[i] - 32) : src[i];
    });

    private static string AsciiLower(string s) => string.Create(s.Length, s, static (span, src) =>
    {
        for (var i = 0; i < src.Length; i++) span[i] = char.IsAsciiLetterUpper(src[i]) ? (char)(src[i] + 32) : src[i];
    });

    public override string ToString() => Str;
}

/// <summary>Collects output parts in order (llama.cpp's gather_string_parts).</summary>
internal sealed class JinjaStringBuilder
{
    private readonly List<StringPart> _parts = [];

    public long CharLength { get; private set; }

    public void Append(JinjaString s)
    {
        _parts.AddRange(s.Parts);
        CharLength += s.CharLength;
    }

    public void Append(string s, bool isInput = false)
    {
        _parts.Add(new StringPart(isInput, s));
        CharLength += s.Length;
    }

    public JinjaString ToJinjaString() => new(_parts.ToArray());
}
