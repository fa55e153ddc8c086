using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentHost.WebUi.Tests.Support;

/// <summary>
/// The server's chat pipeline with one addition: a last user message starting with <see cref="Prefix"/> is answered
/// with the rest of it, streamed a few characters at a time, instead of by the model. No small model writes a
/// &lt;script&gt; on demand; this puts exactly such untrusted text into a real streamed reply. Everything else goes
/// to the real model.
/// </summary>
public sealed class EchoChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public const string Prefix = "echo:";

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var last = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text;
        if (list[^1].Role != ChatRole.User || last is null || !last.StartsWith(Prefix, StringComparison.Ordinal))
        {
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken)) yield return update;
            yield break;
        }
        var text = last[Prefix.Length..].TrimStart();
        var id = "chatcmpl-echo-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < text.Length; i += 4)
        {
            await Task.Delay(5, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, text.Substring(i, Math.Min(4, text.Length - i))) { ResponseId = id, ModelId = "echo" };
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, ResponseId = id, ModelId = "echo", FinishReason = ChatFinishReason.Stop };
    }
}
