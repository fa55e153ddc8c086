using System.Text;
using Microsoft.Extensions.AI;

namespace AgentHost.Plugins.Tests.Support;

/// <summary>Deterministic "models" for tests about wiring, ordering and preservation.</summary>
public static class FakeModels
{
    /// <summary>The text after the "Text:" label of a translation or detection prompt (the part the user supplied).</summary>
    public static string InputText(ChatCall call, string label = "Text:\n")
    {
        var user = call.User;
        var at = user.IndexOf(label, StringComparison.Ordinal);
        return at < 0 ? user : user[(at + label.Length)..];
    }

    /// <summary>A "translation" that upper-cases letters and keeps everything else (tokens included) in place.</summary>
    public static string UpperCase(string text) => text.ToUpperInvariant();

    public static bool IsTranslate(ChatCall call) => call.System.Contains("professional translator", StringComparison.Ordinal);

    public static bool IsDetect(ChatCall call) => call.System.Contains("Identify the language", StringComparison.Ordinal);

    /// <summary>A fake that answers tool calls: the first response calls <paramref name="function"/> with the arguments, the next echoes the tool result.</summary>
    public static ChatResponse ToolCall(string function, Dictionary<string, object?> arguments) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-" + Guid.NewGuid().ToString("N")[..8], function, arguments)]));

    public static string Describe(IEnumerable<ChatMessage> messages)
    {
        var b = new StringBuilder();
        foreach (var m in messages) b.Append(m.Role).Append(": ").Append(m.Text).Append('\n');
        return b.ToString();
    }
}
