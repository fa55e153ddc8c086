using System.Text;

namespace AgentHost.Llama.Engine;

/// <summary>
/// Turns token pieces (raw bytes, which may end inside a multi-byte UTF-8 character) into text without ever
/// emitting half a code point: incomplete trailing bytes wait for the next token.
/// </summary>
internal sealed class Utf8TokenDecoder
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];

    public string Push(ReadOnlySpan<byte> bytes)
    {
        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (needed > _chars.Length) _chars = new char[Math.Max(needed, _chars.Length * 2)];
        var n = _decoder.GetChars(bytes, _chars, flush: false);
        return n == 0 ? "" : new string(_chars, 0, n);
    }

    /// <summary>Whether a piece ends on a character boundary (no multi-byte UTF-8 character left open at its end).</summary>
    public static bool EndsOnCharBoundary(ReadOnlySpan<byte> bytes)
    {
        // Walk back over at most three continuation bytes to the last lead byte and compare its length with what follows.
        for (int i = bytes.Length - 1, seen = 1; i >= 0 && seen <= 4; i--, seen++)
        {
            var b = bytes[i];
            if ((b & 0xC0) == 0x80) continue;
            var length = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return seen >= length;
        }
        return true;
    }

    /// <summary>Whatever is left at the end (an invalid trailing sequence becomes U+FFFD).</summary>
    public string Flush()
    {
        var n = _decoder.GetChars(ReadOnlySpan<byte>.Empty, _chars, flush: true);
        return n == 0 ? "" : new string(_chars, 0, n);
    }
}
