using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AgentHost.Server.Limits;

/// <summary>
/// Finds the first string (value or property name) in a JSON document that is not valid Unicode text: invalid UTF-8
/// bytes, or a <c>\uD800</c>-style escape that is not half of a surrogate pair. System.Text.Json parses such bodies
/// without complaint and only fails when a value is read as a string, deep inside request mapping; checking once,
/// where the body is read, makes every endpoint answer 400 naming the field.
/// </summary>
internal static class JsonStringValidator
{
    /// <summary>The path (<c>messages[0].content</c>) of the first invalid string, "" for the root, or null when all are valid or the JSON is malformed (the parser then reports that).</summary>
    public static string? FindInvalidString(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        // One frame per open container: the property being read (objects) or the next index (arrays).
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, null, 0));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        Advance(frames);
                        break;
                    case JsonTokenType.PropertyName:
                        if (!IsValid(ref reader)) return Path(frames, nameInvalid: true);
                        frames[^1] = frames[^1] with { Property = reader.GetString() };
                        break;
                    case JsonTokenType.String:
                        if (!IsValid(ref reader)) return Path(frames, nameInvalid: false);
                        Advance(frames);
                        break;
                    default:
                        Advance(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    private static bool IsValid(ref Utf8JsonReader reader)
    {
        // Unescaped text that is valid UTF-8 cannot hold a lone surrogate; only escaped strings need decoding.
        if (!reader.ValueIsEscaped && !reader.HasValueSequence) return Utf8.IsValid(reader.ValueSpan);
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
    }

    private static string Path(List<Frame> frames, bool nameInvalid)
    {
        var path = new StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            var last = i == frames.Count - 1;
            if (frame.IsArray) path.Append('[').Append(frame.Index).Append(']');
            // An invalid property name has no readable name: the path stops at the object holding it.
            else if (!(last && nameInvalid) && frame.Property is { } name) path.Append(path.Length == 0 ? "" : ".").Append(name);
        }
        return path.ToString();
    }

    private readonly record struct Frame(bool IsArray, string? Property, int Index);
}
