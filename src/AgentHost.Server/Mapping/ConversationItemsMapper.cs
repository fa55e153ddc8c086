using System.Text.Json;
using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>
/// A session's stored chat messages → conversation items: user and system text as <c>message</c> items with
/// input_text, the assistant's text as output_text, its reasoning as <c>reasoning</c>, tool calls and results as
/// <c>function_call</c> / <c>function_call_output</c>. Ids are stable (the message's position in the session).
/// </summary>
internal static class ConversationItemsMapper
{
    public static List<ResponseItem> Map(IReadOnlyList<ChatMessage> messages)
    {
        var items = new List<ResponseItem>();
        for (var m = 0; m < messages.Count; m++)
        {
            var message = messages[m];
            var k = 0;
            string Id(string prefix) => $"{prefix}_{m + 1:D6}_{k++}";
            if (message.Role == ChatRole.User || message.Role == ChatRole.System)
            {
                var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
                if (text.Length > 0)
                    items.Add(new MessageItem { Id = Id("msg"), Role = message.Role == ChatRole.User ? "user" : "system", Content = [ContentPart.Input(text)] });
            }
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t when message.Role == ChatRole.Assistant && t.Text.Length > 0:
                        items.Add(new MessageItem { Id = Id("msg"), Role = "assistant", Content = [ContentPart.Output(t.Text)] });
                        break;
                    case TextReasoningContent r when r.Text.Length > 0:
                        items.Add(new ReasoningItem { Id = Id("rs"), Content = [new ReasoningTextPart { Text = r.Text }] });
                        break;
                    case FunctionCallContent call:
                        items.Add(new FunctionCallItem { Id = Id("fc"), CallId = call.CallId, Name = call.Name, Arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions) });
                        break;
                    case FunctionResultContent result:
                        items.Add(new FunctionCallOutputItem { Id = Id("fco"), CallId = result.CallId, Output = result.Result is string s ? s : JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions) });
                        break;
                }
            }
        }
        return items;
    }

    /// <summary>The call ids of every tool call in <paramref name="messages"/>.</summary>
    public static IEnumerable<string> CallIds(IEnumerable<ChatMessage> messages) =>
        messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.CallId);
}
