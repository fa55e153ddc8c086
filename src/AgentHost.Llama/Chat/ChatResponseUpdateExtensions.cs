using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Chat;

public static class ChatResponseUpdateExtensions
{
    /// <summary>
    /// MEAI's ToChatResponse, with every update's AdditionalProperties (log-probabilities, timings) on the response
    /// too: ToChatResponse keeps them on the messages, where a caller of the whole response does not look.
    /// </summary>
    public static ChatResponse ToChatResponseWithProperties(this IReadOnlyList<ChatResponseUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var response = updates.ToChatResponse();
        foreach (var update in updates)
            if (update.AdditionalProperties is { } properties)
                foreach (var (key, value) in properties) (response.AdditionalProperties ??= [])[key] = value;
        return response;
    }
}
