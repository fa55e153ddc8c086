using System.Text;

namespace AgentHost.Plugins.Text;

/// <summary>Unicode script tests used by the token estimate, the sentence splitter and language detection.</summary>
internal static class TextScripts
{
    /// <summary>Han ideographs, kana, Hangul and CJK punctuation: scripts written without spaces between words.</summary>
    public static bool IsCjk(Rune r) => IsHan(r) || IsKana(r) || IsHangul(r) || r.Value is >= 0x3000 and <= 0x303F or >= 0xFF00 and <= 0xFFEF;

    public static bool IsHan(Rune r) => r.Value is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2FA1F or >= 0xF900 and <= 0xFAFF;

    public static bool IsKana(Rune r) => r.Value is >= 0x3040 and <= 0x30FF or >= 0x31F0 and <= 0x31FF;

    public static bool IsHangul(Rune r) => r.Value is >= 0xAC00 and <= 0xD7AF or >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F;
}
