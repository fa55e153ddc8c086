using System.Runtime.InteropServices;

namespace AgentHost.Native;

internal static unsafe class Utf8
{
    public static string FromNative(byte* p) => p == null ? "" : Marshal.PtrToStringUTF8((nint)p) ?? "";

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="s"/> for a native call.</summary>
    public static byte[] ToNullTerminated(string s)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
