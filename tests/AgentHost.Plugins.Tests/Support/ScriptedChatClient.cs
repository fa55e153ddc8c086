using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentHost.Plugins.Tests.Support;

/// <summary>One request the fake model received.</summary>
public sealed record ChatCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    public string System => string.Join("\n", Messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
    public string User => Messages.Last(m => m.Role == ChatRole.User).Text;
}

/// <summary>
/// A deterministic stand-in for the model: answers each request with what the responder returns (text, or a full
/// ChatResponse such as a tool call), and records every request. Used where a test is about wiring, ordering or
/// preservation and must not depend on what a real model would write.
/// </summary>
public sealed class ScriptedChatClient(Func<ChatCall, Task<ChatResponse>> responder) : IChatClient
{
    public ScriptedChatClient(Func<ChatCall, string> responder)
        : this(call => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, responder(call))))) { }

    /// <summary>A client for tests where reaching the model would be a bug.</summary>
    public static ScriptedChatClient NeverCalled() => new((Func<ChatCall, string>)(_ => throw new InvalidOperationException("the model must not be called")));

    public ConcurrentQueue<ChatCall> Calls { get; } = new();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = new ChatCall(messages.ToList(), options?.Clone());
        Calls.Enqueue(call);
        return await responder(call).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
