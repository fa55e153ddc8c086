using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace CustomerServiceBot;

/// <summary>
/// One turn of the support agent, streamed: the reply on stdout as it comes, tool calls and their results on
/// stderr, and approval requests (EscalateToHuman, UpdateTicket) answered by <paramref name="approve"/>; the turn
/// goes on with the answers until no request is pending.
/// </summary>
internal sealed class AgentTurnPresenter(Func<FunctionCallContent?, bool> approve)
{
    public async Task<string> RunTurnAsync(AIAgent agent, AgentSession session, string message, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        var next = new ChatMessage(ChatRole.User, message);
        while (true)
        {
            var pending = new List<ToolApprovalRequestContent>();
            await foreach (var update in agent.RunStreamingAsync(next, session, cancellationToken: cancellationToken))
            {
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent t when !string.IsNullOrEmpty(t.Text):
                            Console.Out.Write(t.Text);
                            text.Append(t.Text);
                            break;
                        case FunctionCallContent call:
                            Console.Error.WriteLine($"\n[tool call] {call.Name}({Json(call.Arguments)})");
                            break;
                        case FunctionResultContent result:
                            Console.Error.WriteLine($"[tool result] {Shorten(result.Result is string s ? s : Json(result.Result))}");
                            break;
                        case ToolApprovalRequestContent request:
                            pending.Add(request);
                            break;
                    }
                }
            }
            if (pending.Count == 0) break;
            var answers = new List<AIContent>();
            foreach (var request in pending)
            {
                var call = request.ToolCall as FunctionCallContent;
                Console.Error.WriteLine($"\n[approval] {call?.Name}({Json(call?.Arguments)}) needs approval");
                var yes = approve(call);
                Console.Error.WriteLine(yes ? "[approval] approved" : "[approval] rejected");
                answers.Add(request.CreateResponse(yes, yes ? null : "rejected by the support desk"));
            }
            next = new ChatMessage(ChatRole.User, answers);
        }
        return text.ToString();
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions);

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
